package dev.herald.communicator;

/**
 * How a connection uses TLS, upstream's {@code mode_t}. On the connecting side the mode says what
 * is done with a peer whose certificate cannot be verified; on the listening side both secure modes
 * behave alike (clients are not asked for certificates, as upstream does not).
 *
 * <pre>{@code
 * TlsSettings.builder(TlsMode.ALWAYS_SECURE).trust(Path.of("ca.pem")).serverName("hub.example")
 *     .build();
 * }</pre>
 */
public enum TlsMode {
  /** No TLS: the bytes go over the socket as they are. */
  PLAIN,
  /**
   * TLS; a peer whose certificate cannot be verified (self-signed, unknown CA, wrong name) is
   * accepted with a logged warning.
   */
  SECURE,
  /** TLS; a peer whose certificate cannot be verified is refused: the handshake fails. */
  ALWAYS_SECURE
}
