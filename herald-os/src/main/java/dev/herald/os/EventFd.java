package dev.herald.os;

import dev.herald.os.internal.KernelCounter;
import dev.herald.os.internal.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A kernel counter with a file descriptor ({@code eventfd(2)}): {@link #add} raises it and makes
 * the fd readable, {@link #take} returns it and resets it to zero. The cheapest way to wake an
 * event loop from another thread.
 *
 * <pre>{@code
 * try (EventFd wake = EventFd.create(EventFd.NONBLOCK)) {
 *   wake.add(1);            // any thread
 *   long n = wake.take();   // 1, and the fd is no longer readable
 * }
 * }</pre>
 */
public final class EventFd extends FdOwner {
  /** {@code EFD_NONBLOCK}: {@link #take} returns 0 instead of blocking. */
  public static final int NONBLOCK = O_NONBLOCK;

  /** {@code EFD_SEMAPHORE}: {@link #take} returns 1 and decrements instead of resetting. */
  public static final int SEMAPHORE = 1;

  private static final ValueLayout.OfLong COUNTER = ValueLayout.JAVA_LONG;

  private EventFd(OwnedFd fd) {
    super(fd);
  }

  /**
   * Creates an eventfd with counter 0; close-on-exec is always set.
   *
   * @param flags 0, {@link #NONBLOCK}, {@link #SEMAPHORE} or both
   * @return the eventfd
   * @throws OsException EINVAL for unknown flags
   */
  public static EventFd create(int flags) {
    return new EventFd(
        OwnedFd.adopt(OsException.check(Libc.EVENTFD.call(0, flags | O_CLOEXEC), "eventfd", "")));
  }

  /**
   * Adds {@code value} to the counter (an 8-byte write); safe from any thread, allocation-free.
   *
   * @param value 1 to {@code 0xFFFFFFFFFFFFFFFE}
   * @throws OsException EAGAIN if non-blocking and the counter would overflow, EINVAL for an
   *     invalid value
   */
  public void add(long value) {
    MemorySegment buf = Libc.scratch();
    buf.set(COUNTER, 0, value);
    int n = acquire();
    try {
      while (true) {
        long rc = Libc.WRITE.call(n, buf, 8);
        if (rc != -Errno.EINTR) {
          OsException.check(rc, "write(eventfd)", n);
          return;
        }
      }
    } finally {
      release();
    }
  }

  /**
   * Reads the counter and resets it (or takes 1 in semaphore mode).
   *
   * @return the counter, or 0 if non-blocking and the counter is 0
   */
  public long take() {
    return KernelCounter.read(this, "read(eventfd)");
  }

  @Override
  public String toString() {
    return "EventFd(" + fd + ")";
  }
}
