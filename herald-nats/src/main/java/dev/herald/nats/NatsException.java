package dev.herald.nats;

/**
 * A failure of a NATS bridge: what failed, on which server, stream or ring, and what to do about
 * it.
 *
 * <pre>{@code
 * try {
 *   exporter.run();
 * } catch (NatsException e) {
 *   if (e.kind() == NatsException.Kind.UNREACHABLE) { ... } // check the URLs, start nats-server
 * }
 * }</pre>
 */
public final class NatsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** No NATS server answered at start within the connect timeout. */
    UNREACHABLE,
    /** A URL, stream name, subject or size given by the caller is not valid. */
    CONFIGURATION,
    /** The stream exists but does not fit (other subjects, another ring's events, no JetStream). */
    STREAM_MISMATCH,
    /** A message in the stream is not one Herald wrote (missing or malformed headers). */
    BAD_MESSAGE,
    /** JetStream refused or never acknowledged a publish, even after retries. */
    PUBLISH_FAILED,
    /** The bridge was closed while the caller waited. */
    CLOSED,
    /** The calling thread was interrupted while it waited. */
    INTERRUPTED,
    /** JetStream refused to create, or stopped serving, the consumer that imports events. */
    CONSUMER_FAILED
  }

  private final Kind kind;

  /**
   * A failure with a message that says what failed, where, and what to do.
   *
   * @param kind what went wrong
   * @param message the one line a user reads
   */
  public NatsException(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * A failure caused by another exception.
   *
   * @param kind what went wrong
   * @param message the one line a user reads
   * @param cause the underlying failure, or {@code null}
   */
  public NatsException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * Returns what went wrong.
   *
   * @return the kind of failure
   */
  public Kind kind() {
    return kind;
  }
}
