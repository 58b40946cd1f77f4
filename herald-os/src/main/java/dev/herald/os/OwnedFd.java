package dev.herald.os;

/**
 * A file descriptor this object owns: {@link #close()} closes it exactly once, from any thread.
 *
 * <p>After close, {@link #fd()} throws instead of returning a number the kernel may already have
 * handed to someone else.
 *
 * <pre>{@code
 * try (OwnedFd fd = OwnedFd.adopt(rawNumberFromSomewhere)) {
 *   fd.nonBlocking(true);
 * }
 * }</pre>
 */
public final class OwnedFd implements Fd, AutoCloseable {
  private static final int CLOSED = -1;

  /** Volatile so a close on one thread is seen by {@link #fd()} on another. */
  private volatile int fd;

  private OwnedFd(int fd) {
    this.fd = fd;
  }

  /**
   * Takes ownership of a raw descriptor.
   *
   * @param fd a valid, open descriptor that nothing else will close
   * @return the owner
   * @throws IllegalArgumentException if {@code fd} is negative
   */
  public static OwnedFd adopt(int fd) {
    if (fd < 0) {
      throw new IllegalArgumentException("not a file descriptor: " + fd);
    }
    return new OwnedFd(fd);
  }

  @Override
  public int fd() {
    int n = fd;
    if (n == CLOSED) {
      throw new IllegalStateException("file descriptor already closed");
    }
    return n;
  }

  /**
   * Whether {@link #close()} has run.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return fd == CLOSED;
  }

  /**
   * Closes the descriptor; later calls do nothing. EINTR is not retried: on Linux the descriptor is
   * released even then, and retrying could close a number reused by another thread.
   *
   * @throws OsException if the kernel reports an error other than EINTR (e.g. EBADF when the number
   *     was closed behind this object's back)
   */
  @Override
  public void close() {
    int n;
    synchronized (this) {
      n = fd;
      if (n == CLOSED) {
        return;
      }
      fd = CLOSED;
    }
    int rc = Libc.close(n);
    if (rc < 0 && rc != -Errno.EINTR) {
      OsException.check(rc, "close", n);
    }
  }

  @Override
  public String toString() {
    int n = fd;
    return n == CLOSED ? "OwnedFd(closed)" : "OwnedFd(" + n + ")";
  }
}
