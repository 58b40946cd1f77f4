package dev.herald.communicator;

import dev.herald.os.OsException;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How connections use TLS: the {@link TlsMode}, the certificate chain and private key a listener
 * presents (PEM files, as upstream services are configured), the CAs a client trusts (PEM, or the
 * JDK's default trust store), the server name a client sends (SNI), and the protocols (TLS 1.2 and
 * 1.3; nothing older is accepted). Settings are immutable and shared by every connection made with
 * them; the {@link SSLContext} is built once, when they are.
 *
 * <p>A TLS listener for {@code --tls-cert PEM --tls-key PEM} is the plain listener with one
 * transport changed:
 *
 * <pre>{@code
 * TlsSettings tls = TlsSettings.server(Path.of(certPem), Path.of(keyPem));
 * StreamListener listener = StreamListener.listen(communicator, "tls", address,
 *     (l, client) -> MessageConnection.open(communicator, "client", tls.serverTransport(client),
 *         dispatcher));
 * System.out.println("listening on tls://" + listener.address());
 * }</pre>
 *
 * <p>A client connects as usual and puts TLS over the connected socket; a permanent connection
 * takes the settings and does that on every (re)connection:
 *
 * <pre>{@code
 * TlsSettings hubTls = TlsSettings.builder(TlsMode.ALWAYS_SECURE)
 *     .trust(Path.of("/etc/herald/ca.pem"))        // else the JDK's default CAs
 *     .serverName("hub.example.com")                // SNI, and the name the certificate must have
 *     .build();
 * PermanentMessageConnection hub = PermanentMessageConnection.open(communicator, "hub",
 *     List.of(SocketAddress.parse("10.0.0.2:4041")), PauseDurations.parse("1,2,4,8"),
 *     dispatcher, hubTls);
 * // or by hand, from ConnectAttempt.Handler.connected(attempt, socket):
 * MessageConnection.open(communicator, "hub", hubTls.clientTransport(socket), dispatcher);
 * }</pre>
 *
 * <p>{@link TlsMode#PLAIN} settings make plain transports, so one code path serves both.
 */
public final class TlsSettings {
  /** TLS 1.3 and 1.2, the protocols accepted by default and at all. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final TlsSettings PLAIN = new TlsSettings(TlsMode.PLAIN, null, false, null, null);

  private static final char[] NO_PASSWORD = new char[0];

  private final TlsMode mode;
  private final SSLContext context;
  private final boolean hasCertificate;
  private final String serverName;
  private final String[] protocols;

  private TlsSettings(
      TlsMode mode,
      SSLContext context,
      boolean hasCertificate,
      String serverName,
      String[] protocols) {
    this.mode = mode;
    this.context = context;
    this.hasCertificate = hasCertificate;
    this.serverName = serverName;
    this.protocols = protocols;
  }

  /**
   * No TLS: transports made with these settings are plain.
   *
   * @return the plain settings
   */
  public static TlsSettings plain() {
    return PLAIN;
  }

  /**
   * The settings of a TLS listener ({@link TlsMode#SECURE}): the certificate chain and the private
   * key it presents.
   *
   * <pre>{@code
   * TlsSettings tls = TlsSettings.server(Path.of("/etc/herald/cert.pem"),
   *     Path.of("/etc/herald/key.pem"));
   * }</pre>
   *
   * @param certificateChain a PEM file of {@code CERTIFICATE} blocks, the server's own first
   * @param privateKey a PEM file with the key as a PKCS#8 {@code PRIVATE KEY} block
   * @return the settings
   * @throws CommunicatorException {@code INVALID_PARAMETER} when a file cannot be read or used
   */
  public static TlsSettings server(Path certificateChain, Path privateKey) {
    return builder(TlsMode.SECURE).certificate(certificateChain, privateKey).build();
  }

  /**
   * A builder, for clients and for anything beyond {@link #server}.
   *
   * <pre>{@code
   * TlsSettings.builder(TlsMode.SECURE).serverName("hub.example.com").build();
   * }</pre>
   *
   * @param mode PLAIN, SECURE or ALWAYS_SECURE
   * @return the builder
   */
  public static Builder builder(TlsMode mode) {
    return new Builder(Objects.requireNonNull(mode, "mode"));
  }

  /**
   * The mode.
   *
   * @return the mode
   */
  public TlsMode mode() {
    return mode;
  }

  /**
   * The server name a client sends (SNI) and checks the certificate against.
   *
   * @return the name, or empty when none is set
   */
  public Optional<String> serverName() {
    return Optional.ofNullable(serverName);
  }

  /**
   * The protocols a handshake may agree on.
   *
   * @return a subset of {@link #PROTOCOLS}; empty for PLAIN settings
   */
  public List<String> protocols() {
    return protocols == null ? List.of() : List.of(protocols);
  }

  /**
   * The transport of an accepted client: TLS, the server side, over the socket (plain in {@link
   * TlsMode#PLAIN}).
   *
   * @param client the accepted socket; owned by the transport from now on
   * @return the transport
   * @throws CommunicatorException {@code INVALID_PARAMETER} when the settings have no certificate
   */
  public Transport serverTransport(Socket client) {
    return serverTransport(Transport.of(client));
  }

  /**
   * TLS, the server side, over any stream transport (plain in {@link TlsMode#PLAIN}).
   *
   * @param plain the transport underneath; owned by the result from now on
   * @return the transport
   * @throws CommunicatorException {@code INVALID_PARAMETER} when the settings have no certificate
   */
  public Transport serverTransport(Transport plain) {
    if (mode == TlsMode.PLAIN) {
      return plain;
    }
    if (!hasCertificate) {
      plain.close();
      throw new CommunicatorException(
          CommunicatorException.Kind.INVALID_PARAMETER,
          "TLS settings without a certificate cannot serve TLS clients: give the certificate chain"
              + " and the private key (TlsSettings.server(cert.pem, key.pem)).");
    }
    return layer(plain, false);
  }

  /**
   * The transport of a connected socket: TLS, the client side, over it (plain in {@link
   * TlsMode#PLAIN}). The handshake starts when the connection is opened over it.
   *
   * @param socket the connected socket; owned by the transport from now on
   * @return the transport
   */
  public Transport clientTransport(Socket socket) {
    return clientTransport(Transport.of(socket));
  }

  /**
   * TLS, the client side, over any stream transport (plain in {@link TlsMode#PLAIN}).
   *
   * @param plain the transport underneath; owned by the result from now on
   * @return the transport
   */
  public Transport clientTransport(Transport plain) {
    return mode == TlsMode.PLAIN ? plain : layer(plain, true);
  }

  private Transport layer(Transport plain, boolean client) {
    SSLEngine engine;
    String peer;
    try {
      SocketAddress address = peerAddress(plain);
      peer = address == null ? "fd " + plain.fd().fd() : address.toString();
      // The engine's peer host is what the JDK checks the certificate against when the SNI name
      // does not match: with a server name, it must be that name, not the address (which a
      // certificate may list too).
      boolean named = client && serverName != null;
      engine =
          switch (address) {
            case SocketAddress.Inet4 ip ->
                context.createSSLEngine(
                    named ? serverName : ip.toInetAddress().getHostAddress(), ip.port());
            case SocketAddress.Inet6 ip ->
                context.createSSLEngine(
                    named ? serverName : ip.toInetAddress().getHostAddress(), ip.port());
            case null, default -> context.createSSLEngine(named ? serverName : null, -1);
          };
      engine.setUseClientMode(client);
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setProtocols(protocols);
      if (client && serverName != null) {
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        parameters.setEndpointIdentificationAlgorithm(
            "HTTPS"); // the name must be the certificate's
      }
      engine.setSSLParameters(parameters);
    } catch (RuntimeException e) {
      plain.close();
      throw e;
    }
    return new TlsTransport(plain, engine, peer);
  }

  /** The peer's address, for the engine (session resumption) and for messages; else null. */
  private static SocketAddress peerAddress(Transport plain) {
    if (plain.fd() instanceof Socket socket) {
      try {
        return socket.peerAddress();
      } catch (OsException e) {
        return null; // not connected (yet): the handshake will fail and say so
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "TlsSettings("
        + mode
        + (hasCertificate ? ", certificate" : "")
        + (serverName == null ? "" : ", server name " + serverName)
        + (protocols == null ? "" : ", " + String.join("/", protocols))
        + ")";
  }

  /** Builds {@link TlsSettings}; files are read by {@link #build()}. */
  public static final class Builder {
    private final TlsMode mode;
    private Path certificateChain;
    private Path privateKey;
    private Path trusted;
    private String serverName;
    private List<String> protocols = PROTOCOLS;

    private Builder(TlsMode mode) {
      this.mode = mode;
    }

    /**
     * The certificate chain and private key presented to peers (required to serve TLS).
     *
     * @param certificateChain a PEM file of {@code CERTIFICATE} blocks, the own certificate first
     * @param privateKey a PEM file with a PKCS#8 {@code PRIVATE KEY} block (convert an {@code RSA
     *     PRIVATE KEY} or {@code EC PRIVATE KEY} with {@code openssl pkcs8 -topk8 -nocrypt})
     * @return this builder
     */
    public Builder certificate(Path certificateChain, Path privateKey) {
      this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * The CAs whose certificates verify peers, instead of the JDK's default trust store.
     *
     * @param caCertificates a PEM file of {@code CERTIFICATE} blocks (a self-signed peer's own
     *     certificate works too)
     * @return this builder
     */
    public Builder trust(Path caCertificates) {
      this.trusted = Objects.requireNonNull(caCertificates, "caCertificates");
      return this;
    }

    /**
     * The host name a client sends in the handshake (SNI) and checks the peer's certificate against
     * (a mismatch fails verification: refused in ALWAYS_SECURE, a warning in SECURE). Without one,
     * no name is sent and only the certificate chain is verified.
     *
     * @param hostName a DNS name such as {@code hub.example.com} (not an IP address)
     * @return this builder
     * @throws CommunicatorException {@code INVALID_PARAMETER} for a name SNI cannot carry
     */
    public Builder serverName(String hostName) {
      try {
        new SNIHostName(Objects.requireNonNull(hostName, "hostName"));
      } catch (IllegalArgumentException e) {
        throw new CommunicatorException(
            CommunicatorException.Kind.INVALID_PARAMETER,
            "\""
                + hostName
                + "\" cannot be sent as a TLS server name (SNI): "
                + e.getMessage()
                + "; give a DNS name.");
      }
      this.serverName = hostName;
      return this;
    }

    /**
     * Narrows the protocols, e.g. to TLS 1.3 only.
     *
     * @param protocols some of {@code "TLSv1.3"} and {@code "TLSv1.2"}
     * @return this builder
     * @throws CommunicatorException {@code INVALID_PARAMETER} for anything else (TLS 1.1 and older
     *     are never accepted)
     */
    public Builder protocols(String... protocols) {
      if (protocols.length == 0 || !PROTOCOLS.containsAll(Set.of(protocols))) {
        throw new CommunicatorException(
            CommunicatorException.Kind.INVALID_PARAMETER,
            "TLS protocols "
                + List.of(protocols)
                + " are not accepted: give one or both of "
                + PROTOCOLS
                + " (older ones are insecure).");
      }
      this.protocols = List.of(protocols);
      return this;
    }

    /**
     * Reads the files and builds the settings.
     *
     * @return the settings
     * @throws CommunicatorException {@code INVALID_PARAMETER} when a file cannot be read, holds no
     *     certificate, holds a key that is not PKCS#8 or does not belong to the certificate
     */
    public TlsSettings build() {
      if (mode == TlsMode.PLAIN) {
        return PLAIN;
      }
      try {
        KeyManager[] keys = null;
        if (certificateChain != null) {
          List<X509Certificate> chain = certificates(certificateChain);
          PrivateKey key = privateKey(privateKey);
          checkPair(chain.getFirst(), key);
          KeyStore store = KeyStore.getInstance("PKCS12");
          store.load(null, null);
          store.setKeyEntry("herald", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
          KeyManagerFactory factory =
              KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
          factory.init(store, NO_PASSWORD);
          keys = factory.getKeyManagers();
        }
        KeyStore anchors = null;
        if (trusted != null) {
          anchors = KeyStore.getInstance("PKCS12");
          anchors.load(null, null);
          int index = 0;
          for (X509Certificate certificate : certificates(trusted)) {
            anchors.setCertificateEntry("ca-" + index++, certificate);
          }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors); // null: the JDK's default trust store
        X509ExtendedTrustManager verifier = null;
        for (TrustManager manager : trust.getTrustManagers()) {
          if (manager instanceof X509ExtendedTrustManager x509) {
            verifier = x509;
          }
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {new PeerTrust(verifier, mode)}, null);
        return new TlsSettings(
            mode, context, keys != null, serverName, protocols.toArray(new String[0]));
      } catch (GeneralSecurityException | java.io.IOException e) {
        throw new CommunicatorException(
            CommunicatorException.Kind.INVALID_PARAMETER,
            0,
            "TLS settings cannot be set up: " + e.getMessage(),
            e);
      }
    }

    private static List<X509Certificate> certificates(Path file) {
      List<X509Certificate> certificates = new ArrayList<>();
      try {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (PemBlock block : PemBlock.readAll(file)) {
          if (block.label().equals("CERTIFICATE")) {
            certificates.add(
                (X509Certificate)
                    factory.generateCertificate(new ByteArrayInputStream(block.der())));
          }
        }
      } catch (java.security.cert.CertificateException e) {
        throw PemBlock.invalid(file, "holds a certificate that cannot be read: " + e.getMessage());
      }
      if (certificates.isEmpty()) {
        throw PemBlock.invalid(file, "holds no \"CERTIFICATE\" block");
      }
      return certificates;
    }

    private static PrivateKey privateKey(Path file) {
      for (PemBlock block : PemBlock.readAll(file)) {
        switch (block.label()) {
          case "PRIVATE KEY" -> {
            return pkcs8(file, block.der());
          }
          case "RSA PRIVATE KEY", "EC PRIVATE KEY" ->
              throw PemBlock.invalid(
                  file,
                  "holds an \""
                      + block.label()
                      + "\" block (PKCS#1 or SEC1), which is not read: convert it to PKCS#8 with"
                      + " openssl pkcs8 -topk8 -nocrypt -in "
                      + file
                      + " -out key-pkcs8.pem");
          case "ENCRYPTED PRIVATE KEY" ->
              throw PemBlock.invalid(
                  file,
                  "holds an encrypted key: decrypt it with openssl pkcs8 -in "
                      + file
                      + " -out key-pkcs8.pem");
          default -> {}
        }
      }
      throw PemBlock.invalid(file, "holds no \"PRIVATE KEY\" block");
    }

    /** The PKCS#8 key, with whichever algorithm it is for. */
    private static PrivateKey pkcs8(Path file, byte[] der) {
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
      for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA")) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (GeneralSecurityException notThisOne) {
          // try the next algorithm
        }
      }
      throw PemBlock.invalid(
          file, "holds a \"PRIVATE KEY\" of an unknown algorithm (RSA, EC or EdDSA expected)");
    }

    /** Fails early, with both file names, when the key does not belong to the certificate. */
    private void checkPair(X509Certificate certificate, PrivateKey key)
        throws GeneralSecurityException {
      String algorithm =
          switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
          };
      if (algorithm == null) {
        return; // the handshake will tell
      }
      byte[] probe = "herald key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      boolean matches;
      try {
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        matches = verifier.verify(signature);
      } catch (GeneralSecurityException e) {
        matches = false; // a key of another algorithm than the certificate's
      }
      if (!matches) {
        throw new CommunicatorException(
            CommunicatorException.Kind.INVALID_PARAMETER,
            "the private key in "
                + privateKey
                + " does not belong to the first certificate in "
                + certificateChain
                + " ("
                + certificate.getSubjectX500Principal()
                + "); give the matching pair.");
      }
    }
  }
}
