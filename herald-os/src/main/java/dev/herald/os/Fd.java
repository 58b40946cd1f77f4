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

  /**
   * The raw descriptor number.
   *
   * @return the fd
   */
  int fd();

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
   * Reads into {@code buffer} once (retrying on EINTR).
   *
   * @param buffer where the bytes go; up to its size is read
   * @return the number of bytes read, 0 at end of file, or {@link #WOULD_BLOCK}
   * @throws OsException on any other failure
   */
  default long read(MemorySegment buffer) {
    int fd = fd();
    while (true) {
      long n = Libc.read(fd, buffer, buffer.byteSize());
      if (n >= 0) {
        return n;
      }
      if (n == -Errno.EAGAIN) {
        return WOULD_BLOCK;
      }
      if (n != -Errno.EINTR) {
        return OsException.check(n, "read", fd);
      }
    }
  }

  /**
   * Writes {@code buffer} once (retrying on EINTR); a short write is possible on pipes and sockets.
   *
   * @param buffer the bytes to write
   * @return the number of bytes written, or {@link #WOULD_BLOCK}
   * @throws OsException on any other failure (EPIPE included)
   */
  default long write(MemorySegment buffer) {
    int fd = fd();
    while (true) {
      long n = Libc.write(fd, buffer, buffer.byteSize());
      if (n >= 0) {
        return n;
      }
      if (n == -Errno.EAGAIN) {
        return WOULD_BLOCK;
      }
      if (n != -Errno.EINTR) {
        return OsException.check(n, "write", fd);
      }
    }
  }

  /**
   * Switches {@code O_NONBLOCK} on or off ({@code fcntl F_SETFL}).
   *
   * @param on whether the fd should be non-blocking
   */
  default void nonBlocking(boolean on) {
    int fd = fd();
    int flags = OsException.check(Libc.fcntl(fd, F_GETFL), "fcntl(F_GETFL)", fd);
    int wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    if (wanted != flags) {
      OsException.check(Libc.fcntl(fd, F_SETFL, wanted), "fcntl(F_SETFL)", fd);
    }
  }

  /**
   * Whether {@code O_NONBLOCK} is set.
   *
   * @return true if non-blocking
   */
  default boolean isNonBlocking() {
    int fd = fd();
    return (OsException.check(Libc.fcntl(fd, F_GETFL), "fcntl(F_GETFL)", fd) & O_NONBLOCK) != 0;
  }

  /**
   * Switches {@code FD_CLOEXEC} on or off ({@code fcntl F_SETFD}).
   *
   * @param on whether the fd should be closed in a child after {@code exec}
   */
  default void closeOnExec(boolean on) {
    int fd = fd();
    int flags = OsException.check(Libc.fcntl(fd, F_GETFD), "fcntl(F_GETFD)", fd);
    int wanted = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
    OsException.check(Libc.fcntl(fd, F_SETFD, wanted), "fcntl(F_SETFD)", fd);
  }

  /**
   * Whether {@code FD_CLOEXEC} is set.
   *
   * @return true if the fd is closed on exec
   */
  default boolean isCloseOnExec() {
    int fd = fd();
    return (OsException.check(Libc.fcntl(fd, F_GETFD), "fcntl(F_GETFD)", fd) & FD_CLOEXEC) != 0;
  }

  /**
   * Duplicates the descriptor ({@code fcntl F_DUPFD_CLOEXEC}): a new number for the same open file
   * description, owned by the caller.
   *
   * @return the duplicate
   */
  default OwnedFd duplicate() {
    int fd = fd();
    return OwnedFd.adopt(
        OsException.check(Libc.fcntl(fd, F_DUPFD_CLOEXEC, 0), "fcntl(F_DUPFD_CLOEXEC)", fd));
  }

  /**
   * Applies a BSD advisory lock ({@code flock}); retries on EINTR.
   *
   * @param lock what to do
   * @param wait whether to block until the lock is free; if false a held lock returns false
   * @return true if done, false if {@code wait} is false and another holder has a conflicting lock
   */
  default boolean flock(FileLock lock, boolean wait) {
    int fd = fd();
    int op = lock.operation() | (wait ? 0 : FileLock.LOCK_NB);
    while (true) {
      int rc = Libc.flock(fd, op);
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
  }
}
