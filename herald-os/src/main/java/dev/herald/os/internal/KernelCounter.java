package dev.herald.os.internal;

import dev.herald.os.Errno;
import dev.herald.os.Fd;
import dev.herald.os.OsException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 8-byte counter reads that eventfd and timerfd share: retried on EINTR, 0 when a non-blocking
 * fd has nothing (EAGAIN), through the calling thread's scratch buffer so nothing is allocated.
 */
public final class KernelCounter {
  private KernelCounter() {}

  /** Reads the counter of {@code fd}; {@code call} names it in errors, e.g. "read(eventfd)". */
  public static long read(Fd owner, String call) {
    MemorySegment buf = Libc.scratch();
    int fd = owner.acquire();
    try {
      while (true) {
        long rc = Libc.READ.call(fd, buf, 8);
        if (rc == 8) {
          return buf.get(ValueLayout.JAVA_LONG, 0);
        }
        if (rc == -Errno.EAGAIN) {
          return 0;
        }
        if (rc != -Errno.EINTR) {
          OsException.check(rc, call, fd);
        }
      }
    } finally {
      owner.release();
    }
  }
}
