package dev.herald.os;

/**
 * A failed Linux system call: which call, on what, and the errno the kernel returned.
 *
 * <p>The message reads {@code epoll_ctl(ADD) on fd 7: EBADF (Bad file descriptor)}, so a log line
 * alone says what failed and why.
 *
 * <pre>{@code
 * try {
 *   epoll.add(fd, Epoll.IN, 0);
 * } catch (OsException e) {
 *   if (e.errno() == Errno.EEXIST) { ... }
 * }
 * }</pre>
 */
public final class OsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The errno of the failure. */
  private final int errno;

  /** The call that failed, e.g. {@code epoll_ctl(ADD)}. */
  private final String call;

  /**
   * Creates the exception for a call that failed.
   *
   * @param call the system call and its operation, e.g. {@code "epoll_ctl(ADD)"}
   * @param target what the call acted on, e.g. {@code "fd 7"} or a path (may be empty)
   * @param errno the positive errno
   */
  public OsException(String call, String target, int errno) {
    super(
        call
            + (target.isEmpty() ? "" : " on " + target)
            + ": "
            + Errno.name(errno)
            + " ("
            + Errno.description(errno)
            + ")");
    this.call = call;
    this.errno = errno;
  }

  /**
   * The errno the kernel returned.
   *
   * @return a positive errno, comparable with the constants of {@link Errno}
   */
  public int errno() {
    return errno;
  }

  /**
   * The call that failed.
   *
   * @return the call name and operation, e.g. {@code "epoll_ctl(ADD)"}
   */
  public String call() {
    return call;
  }

  /**
   * The C library's description of the errno ({@code strerror}), e.g. {@code "Bad file
   * descriptor"}.
   *
   * @return the description
   */
  public String description() {
    return Errno.description(errno);
  }

  /** Throws for a negative wrapper result ({@code -errno}); returns non-negative results. */
  static int check(int rc, String call, String target) {
    if (rc < 0) {
      throw new OsException(call, target, -rc);
    }
    return rc;
  }

  /** Throws for a negative wrapper result ({@code -errno}); returns non-negative results. */
  static long check(long rc, String call, String target) {
    if (rc < 0) {
      throw new OsException(call, target, (int) -rc);
    }
    return rc;
  }

  /**
   * A read's or write's result: the byte count, or {@link Fd#WOULD_BLOCK} for EAGAIN; throws for
   * any other error, naming the fd and, if not null, the peer.
   */
  static long checkTransfer(long rc, String call, int fd, Object peer) {
    if (rc >= 0) {
      return rc;
    }
    if (rc == -Errno.EAGAIN) {
      return Fd.WOULD_BLOCK;
    }
    throw new OsException(call, peer == null ? "fd " + fd : "fd " + fd + " to " + peer, (int) -rc);
  }

  /** Throws for a negative wrapper result on an fd. */
  static int check(int rc, String call, int fd) {
    if (rc < 0) {
      throw new OsException(call, "fd " + fd, -rc);
    }
    return rc;
  }

  /** Throws for a negative wrapper result on an fd. */
  static long check(long rc, String call, int fd) {
    if (rc < 0) {
      throw new OsException(call, "fd " + fd, (int) -rc);
    }
    return rc;
  }
}
