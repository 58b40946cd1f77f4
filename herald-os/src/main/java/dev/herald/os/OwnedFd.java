package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A file descriptor this object owns: {@link #close()} closes it exactly once, from any thread.
 *
 * <p>Lifetime: every system call Herald makes on it runs between {@link #acquire()} and {@link
 * #release()}, which count its users, as the JDK's own file descriptors do. A {@code close()} while
 * a call is in flight only marks it closed (new calls fail with {@link IllegalStateException}); the
 * last call out releases the number. So a number is never closed under a call, and never reused by
 * the kernel for another file while a call still means this one. A call blocked in the kernel keeps
 * the number until it returns: close blocking descriptors only when nothing is blocked on them, or
 * use non-blocking ones, as every Herald loop does.
 *
 * <pre>{@code
 * try (OwnedFd fd = OwnedFd.adopt(rawNumberFromSomewhere)) {
 *   fd.nonBlocking(true);
 * }
 * }</pre>
 */
public final class OwnedFd implements Fd, AutoCloseable {
  /** The state's top bit: close() has run. The other 31 bits count the calls in flight. */
  private static final int CLOSED = 1 << 31;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(OwnedFd.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int fd;

  /** CLOSED bit plus user count; changed only by compare-and-set / get-and-add (full fences). */
  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

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
    if (isClosed()) {
      throw closedError();
    }
    return fd;
  }

  @Override
  public int acquire() {
    int s = (int) STATE.getVolatile(this);
    while (true) {
      if ((s & CLOSED) != 0) {
        throw closedError();
      }
      int witness = (int) STATE.compareAndExchange(this, s, s + 1);
      if (witness == s) {
        return fd;
      }
      s = witness;
    }
  }

  @Override
  public void release() {
    // Once CLOSED is set the count only falls, so exactly one release sees CLOSED with no user
    // left.
    int after = (int) STATE.getAndAdd(this, -1) - 1;
    if (after == CLOSED) {
      closeNumber(false);
    }
  }

  /**
   * Whether {@link #close()} has run (the number itself may still be held by a call in flight).
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return ((int) STATE.getVolatile(this) & CLOSED) != 0;
  }

  /**
   * Closes the descriptor; later calls do nothing. With a call in flight on another thread, the
   * number is released when that call ends. EINTR is not retried: on Linux the descriptor is
   * released even then, and retrying could close a number reused by another thread.
   *
   * @throws OsException if the kernel reports an error other than EINTR (e.g. EBADF when the number
   *     was closed behind this object's back); a deferred close cannot report one
   */
  @Override
  public void close() {
    int s = (int) STATE.getVolatile(this);
    while (true) {
      if ((s & CLOSED) != 0) {
        return;
      }
      int witness = (int) STATE.compareAndExchange(this, s, s | CLOSED);
      if (witness == s) {
        break;
      }
      s = witness;
    }
    if (s == 0) {
      closeNumber(true); // no call in flight: ours to close now
    }
  }

  private void closeNumber(boolean report) {
    int rc = Libc.CLOSE.call(fd);
    if (report && rc < 0 && rc != -Errno.EINTR) {
      OsException.check(rc, "close", fd);
    }
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("file descriptor " + fd + " is already closed");
  }

  @Override
  public String toString() {
    return isClosed() ? "OwnedFd(" + fd + ", closed)" : "OwnedFd(" + fd + ")";
  }
}
