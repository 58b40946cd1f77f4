package dev.herald.os;

import java.lang.foreign.MemorySegment;

/**
 * Anything that has a Linux file descriptor: every fd-owning type in Herald, or a raw number
 * wrapped with {@link #of(int)}. The default methods are the plain fd calls ({@code read}, {@code
 * write}, {@code fcntl}, {@code flock}) on that number.
 *
 * <pre>{@code
 * Fd stdin = Fd.of(0);
 * stdin.nonBlocking(true);
 * try (Arena arena = Arena.ofConfined()) {
 *   MemorySegment buf = arena.allocate(4096);
 *   long n = stdin.read(buf); // Fd.WOULD_BLOCK when nothing is there yet
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Fd {
  /** What {@link #read} and {@link #write} return when a non-blocking fd is not ready (EAGAIN). */
  long WOULD_BLOCK = -1;

  /** {@code fcntl} commands and flags. */
  int F_GETFD = 1;

  /** Sets the descriptor flags. */
  int F_SETFD = 2;

  /** Gets the file status flags. */
  int F_GETFL = 3;

  /** Sets the file status flags. */
  int F_SETFL = 4;

  /** Duplicates a descriptor with close-on-exec set. */
  int F_DUPFD_CLOEXEC = 1030;

  /** The close-on-exec descriptor flag. */
  int FD_CLOEXEC = 1;

  /** The non-blocking file status flag (also the {@code *_NONBLOCK} creation flag). */
  int O_NONBLOCK = 0x800;

  /** The close-on-exec open flag (also the {@code *_CLOEXEC} creation flag). */
  int O_CLOEXEC = 0x80000;

  /** The most bytes one {@link #read} or {@link #write} moves to or from a heap segment. */
  int HEAP_TRANSFER_LIMIT = 64 * 1024;

  /**
   * The raw descriptor number, for identification (logging, an epoll key). A system call on it must
   * go through {@link #acquire()} and {@link #release()}, which keep the number from being closed
   * (and reused) while the call is in flight.
   *
   * @return the fd
   * @throws IllegalStateException if the descriptor is closed
   */
  int fd();

  /**
   * Pins the descriptor for one system call: until the matching {@link #release()}, a {@code
   * close()} from another thread does not release the number (so the kernel cannot hand it to a new
   * file under the call), it only marks it closed; the last user out closes it. Always pair it:
   *
   * <pre>{@code
   * int n = fd.acquire();
   * try {
   *   // a system call on n
   * } finally {
   *   fd.release();
   * }
   * }</pre>
   *
   * <p>A plain number ({@link #of(int)}) has no owner to count with: pinning it does nothing.
   *
   * @return the number, valid until {@link #release()}
   * @throws IllegalStateException if the descriptor is closed
   */
  default int acquire() {
    return fd();
  }

  /** Ends a use begun by {@link #acquire()}; the last one after a {@code close()} closes the fd. */
  default void release() {}

  /**
   * Wraps a raw descriptor number without taking ownership: closing stays the caller's business.
   *
   * @param fd the descriptor number
   * @return a view of that number
   */
  static Fd of(int fd) {
    return () -> fd;
  }

  /**
   * Reads into {@code buffer} once (retrying on EINTR). A heap segment ({@code
   * MemorySegment.ofArray}) is read through a per-thread native buffer of {@link
   * #HEAP_TRANSFER_LIMIT} bytes, so at most that many bytes are read into it per call.
   *
   * @param buffer where the bytes go; up to its size is read
   * @return the number of bytes read, 0 at end of file, or {@link #WOULD_BLOCK}
   * @throws OsException on any other failure
   * @throws IllegalStateException if the descriptor is closed
   * @throws IllegalArgumentException if {@code buffer} is read-only
   */
  default long read(MemorySegment buffer) {
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException("cannot read into a read-only segment: " + buffer);
    }
    if (!buffer.isNative()) {
      MemorySegment window = HeapTransfer.readWindow(buffer);
      return HeapTransfer.deliver(window, buffer, read(window));
    }
    int fd = acquire();
    try {
      long n;
      do {
        n = Libc.READ.call(fd, buffer, buffer.byteSize());
      } while (n == -Errno.EINTR);
      return OsException.checkTransfer(n, "read", fd, null);
    } finally {
      release();
    }
  }

  /**
   * Writes {@code buffer} once (retrying on EINTR); a short write is possible on pipes and sockets.
   * A heap segment is written through a per-thread native buffer, at most {@link
   * #HEAP_TRANSFER_LIMIT} bytes per call.
   *
   * @param buffer the bytes to write
   * @return the number of bytes written, or {@link #WOULD_BLOCK}
   * @throws OsException on any other failure (EPIPE included)
   * @throws IllegalStateException if the descriptor is closed
   */
  default long write(MemorySegment buffer) {
    if (!buffer.isNative()) {
      return write(HeapTransfer.writeWindow(buffer));
    }
    int fd = acquire();
    try {
      long n;
      do {
        n = Libc.WRITE.call(fd, buffer, buffer.byteSize());
      } while (n == -Errno.EINTR);
      return OsException.checkTransfer(n, "write", fd, null);
    } finally {
      release();
    }
  }

  /**
   * Switches {@code O_NONBLOCK} on or off ({@code fcntl F_SETFL}).
   *
   * @param on whether the fd should be non-blocking
   */
  default void nonBlocking(boolean on) {
    updateFlags(F_GETFL, F_SETFL, O_NONBLOCK, on);
  }

  /**
   * Whether {@code O_NONBLOCK} is set.
   *
   * @return true if non-blocking
   */
  default boolean isNonBlocking() {
    return (fcntl(F_GETFL, "fcntl(F_GETFL)") & O_NONBLOCK) != 0;
  }

  /**
   * Switches {@code FD_CLOEXEC} on or off ({@code fcntl F_SETFD}).
   *
   * @param on whether the fd should be closed in a child after {@code exec}
   */
  default void closeOnExec(boolean on) {
    updateFlags(F_GETFD, F_SETFD, FD_CLOEXEC, on);
  }

  /**
   * Whether {@code FD_CLOEXEC} is set.
   *
   * @return true if the fd is closed on exec
   */
  default boolean isCloseOnExec() {
    return (fcntl(F_GETFD, "fcntl(F_GETFD)") & FD_CLOEXEC) != 0;
  }

  /**
   * Duplicates the descriptor ({@code fcntl F_DUPFD_CLOEXEC}): a new number for the same open file
   * description, owned by the caller.
   *
   * @return the duplicate
   */
  default OwnedFd duplicate() {
    int fd = acquire();
    try {
      return OwnedFd.adopt(
          OsException.check(
              Libc.FCNTL_SET.call(fd, F_DUPFD_CLOEXEC, 0), "fcntl(F_DUPFD_CLOEXEC)", fd));
    } finally {
      release();
    }
  }

  /**
   * Applies a BSD advisory lock ({@code flock}); retries on EINTR.
   *
   * @param lock what to do
   * @param wait whether to block until the lock is free; if false a held lock returns false
   * @return true if done, false if {@code wait} is false and another holder has a conflicting lock
   */
  default boolean flock(FileLock lock, boolean wait) {
    int op = lock.operation() | (wait ? 0 : FileLock.LOCK_NB);
    int fd = acquire();
    try {
      while (true) {
        int rc = Libc.FLOCK.call(fd, op);
        if (rc == 0) {
          return true;
        }
        if (rc == -Errno.EAGAIN && !wait) {
          return false;
        }
        if (rc != -Errno.EINTR) {
          OsException.check(rc, "flock(" + lock + ")", fd);
        }
      }
    } finally {
      release();
    }
  }

  private int fcntl(int cmd, String call) {
    int fd = acquire();
    try {
      return OsException.check(Libc.FCNTL_GET.call(fd, cmd), call, fd);
    } finally {
      release();
    }
  }

  private void updateFlags(int get, int set, int flag, boolean on) {
    int fd = acquire();
    try {
      String name = get == F_GETFL ? "fcntl(F_GETFL)" : "fcntl(F_GETFD)";
      int flags = OsException.check(Libc.FCNTL_GET.call(fd, get), name, fd);
      int wanted = on ? flags | flag : flags & ~flag;
      if (wanted != flags) {
        String setName = set == F_SETFL ? "fcntl(F_SETFL)" : "fcntl(F_SETFD)";
        OsException.check(Libc.FCNTL_SET.call(fd, set, wanted), setName, fd);
      }
    } finally {
      release();
    }
  }
}
