package dev.herald.reactor;

import dev.herald.os.Errno;
import dev.herald.os.OsException;

/**
 * A failure of the event manager, with the upstream error kind and, for system-call failures, the
 * errno. Messages are upstream's texts; the {@link #getCause() cause} of an {@link Kind#EPOLL} or
 * {@link Kind#EVENT_FD} error is the {@link OsException} naming the call and the fd.
 *
 * <pre>{@code
 * try {
 *   ops.add(Events.of(fd, EventSet.IN));
 * } catch (ReactorException e) {
 *   if (e.kind() == ReactorException.Kind.FD_ALREADY_REGISTERED) { ... }
 *   if (e.kind() == ReactorException.Kind.EPOLL && e.errno() == Errno.EPERM) { ... } // a regular file
 * }
 * }</pre>
 */
public final class ReactorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong (upstream's {@code Error} variants). */
  public enum Kind {
    /** {@code epoll_create1}, {@code epoll_ctl} or {@code epoll_wait} failed (errno set). */
    EPOLL,
    /** {@code add} of an fd that some subscriber of this manager already registered. */
    FD_ALREADY_REGISTERED,
    /** A subscriber id that is unknown or was removed. */
    INVALID_ID,
    /** A ready-list capacity above {@link EventManager#MAX_READY_EVENTS_CAPACITY}. */
    INVALID_CAPACITY,
    /** The manager is closed: the closure was not sent. */
    CHANNEL_SEND,
    /**
     * The manager closed before answering a blocking call, or the caller was interrupted while it
     * waited (the cause then says so).
     */
    CHANNEL_RECV,
    /** Creating or writing the endpoint's eventfd failed (errno set). */
    EVENT_FD
  }

  private final Kind kind;
  private final int errno;

  private ReactorException(Kind kind, int errno, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.errno = errno;
  }

  static ReactorException epoll(OsException cause) {
    return new ReactorException(
        Kind.EPOLL,
        cause.errno(),
        "event_manager: failed to manage epoll file descriptor: "
            + Errno.description(cause.errno())
            + " (os error "
            + cause.errno()
            + ")",
        cause);
  }

  /**
   * Upstream's text, which, unlike the {@link Kind#EPOLL} one, carries no "(os error N)" suffix;
   * every EVENT_FD failure (creating, writing or resetting the wake-up eventfd) is built here.
   */
  static ReactorException eventFd(OsException cause) {
    return new ReactorException(
        Kind.EVENT_FD,
        cause.errno(),
        "event_manager: failed to manage EventFd file descriptor: "
            + Errno.description(cause.errno()),
        cause);
  }

  static ReactorException of(Kind kind) {
    return of(kind, null);
  }

  /** A failure of a kind without errno, with upstream's text and {@code cause} (may be null). */
  static ReactorException of(Kind kind, Throwable cause) {
    String message =
        switch (kind) {
          case FD_ALREADY_REGISTERED ->
              "event_manager: file descriptor has already been registered";
          case INVALID_ID -> "event_manager: invalid subscriber Id";
          case INVALID_CAPACITY -> "event_manager: invalid ready_list capacity";
          case CHANNEL_SEND -> "event_manager: failed to send message to remote endpoint";
          case CHANNEL_RECV -> "event_manager: failed to receive message from remote endpoint";
          case EPOLL, EVENT_FD -> throw new IllegalArgumentException(kind + " needs an errno");
        };
    return new ReactorException(kind, 0, message, cause);
  }

  /**
   * The kind of failure.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The errno of an {@link Kind#EPOLL} or {@link Kind#EVENT_FD} failure.
   *
   * @return the errno, or 0 for the other kinds
   */
  public int errno() {
    return errno;
  }
}
