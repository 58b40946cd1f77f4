package dev.herald.communicator;

/**
 * The one failure type of the communicator module, with upstream's exception class as its {@link
 * Kind} and, for system-call failures, the errno. Where upstream has a text for the failure, the
 * message is that text; Herald's own failures say what failed, on which connection, and what to do.
 *
 * <pre>{@code
 * try {
 *   connection.setTimeoutDelay(5);
 * } catch (CommunicatorException e) {
 *   // e.kind() == PARAMETER_ERROR: "connection::set_timeout_delay(): timeout_us parameter cannot
 *   // be less than 10 unless it is exactly -1, 5 is not valid."
 * }
 * }</pre>
 */
public final class CommunicatorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong: upstream's exception classes, plus Herald's own kinds. */
  public enum Kind {
    /** {@code parameter_error}: a setter got a value out of range (priority, timeout). */
    PARAMETER_ERROR,
    /** {@code invalid_parameter}: an object cannot be used this way (a closed fd added). */
    INVALID_PARAMETER,
    /** {@code recursive_call}: {@code run()} was called from inside the loop it runs. */
    RECURSIVE_CALL,
    /** The communicator is closed: nothing can be added or posted any more. */
    CLOSED,
    /** Reading or writing a connection's fd failed (errno set): the connection is closed. */
    IO_ERROR,
    /** A line longer than the framing's maximum arrived: the connection is closed. */
    LINE_TOO_LONG,
    /**
     * More output is pending than the connection's bound: the peer does not read; it is dropped.
     */
    OUTPUT_OVERFLOW,
    /** A listening socket could not be set up (errno set): bind or listen failed. */
    LISTEN_FAILED,
    /** A connection attempt failed or timed out (errno set: ECONNREFUSED, ETIMEDOUT, ...). */
    CONNECT_FAILED,
    /** A message does not fit in one datagram of its kind (upstream's {@code invalid_message}). */
    MESSAGE_TOO_LARGE,
    /** A datagram could not be sent (errno set: ECONNREFUSED, ENOENT, EACCES, ...). */
    SEND_FAILED,
    /** A blocking wait (for a reply, for output to be taken) ended without it: nothing came. */
    TIMED_OUT,
    /** The peer closed the connection, or it failed, while a reply was awaited or sent. */
    PEER_CLOSED,
    /**
     * A TLS handshake or record failed (an unverified peer refused, a protocol below TLS 1.2, a
     * peer that does not speak TLS or closed during the handshake): the connection is closed.
     */
    TLS_FAILED,
    /** A file or directory could not be watched (errno set: ENOENT, ENOTDIR, ENOSPC, ...). */
    WATCH_FAILED
  }

  private final Kind kind;
  private final int errno;

  CommunicatorException(Kind kind, String message) {
    this(kind, 0, message, null);
  }

  CommunicatorException(Kind kind, int errno, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.errno = errno;
  }

  /**
   * Which kind of failure this is.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The errno of a failed system call.
   *
   * @return the positive errno, or 0 when no system call failed
   */
  public int errno() {
    return errno;
  }
}
