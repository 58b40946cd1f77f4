package dev.herald.os.internal;

import dev.herald.os.Errno;
import dev.herald.os.Fd;
import dev.herald.os.FdOwner;
import dev.herald.os.FileStatus;
import dev.herald.os.OsException;
import dev.herald.os.OwnedFd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * An open regular file this object owns: {@code open(2)} with explicit flags, {@code fallocate},
 * {@code ftruncate} and {@code fstat}, closed by {@link #close()}.
 *
 * <p>It exists for what {@link java.nio.channels.FileChannel} cannot do: create with {@code O_EXCL}
 * and a chosen mode, hand its descriptor to {@link Fd#flock} and {@link MappedRegion}, and report
 * the inode a path names right now.
 *
 * <pre>{@code
 * try (RegularFile tmp = RegularFile.createExclusive(Path.of("/dev/shm/ring.123"), 0664)) {
 *   tmp.flock(FileLock.EXCLUSIVE, true);
 *   tmp.allocate(0, 1 << 22);
 *   long inode = tmp.status().inode();
 * }
 * }</pre>
 */
public final class RegularFile extends FdOwner {
  /** Open for reading only. */
  public static final int O_RDONLY = 0;

  /** Open for reading and writing. */
  public static final int O_RDWR = 2;

  /** Create the file if it does not exist. */
  public static final int O_CREAT = 0x40;

  /** With {@link #O_CREAT}: fail with EEXIST if the file exists. */
  public static final int O_EXCL = 0x80;

  // x86-64 struct stat: st_dev @0, st_ino @8, st_mode @24, st_size @48; 144 bytes in all.
  private static final long STAT_SIZE = 144;
  private static final long ST_DEV = 0;
  private static final long ST_INO = 8;
  private static final long ST_MODE = 24;
  private static final long ST_SIZE = 48;

  private final Path path;

  private RegularFile(OwnedFd fd, Path path) {
    super(fd);
    this.path = path;
  }

  /**
   * Opens {@code path} with raw {@code open(2)} flags; close-on-exec is always added.
   *
   * @param path the file
   * @param flags e.g. {@code O_RDWR | O_CREAT | O_EXCL}
   * @param mode the permission bits for a created file (before the umask)
   * @return the open file
   * @throws OsException e.g. ENOENT, EEXIST, EACCES, naming the path
   */
  public static RegularFile open(Path path, int flags, int mode) {
    try (Arena arena = Arena.ofConfined()) {
      int n =
          OsException.check(
              Libc.OPEN.call(arena.allocateFrom(path.toString()), flags | O_CLOEXEC, mode),
              "open",
              path.toString());
      return new RegularFile(OwnedFd.adopt(n), path);
    }
  }

  /**
   * Opens an existing file for reading.
   *
   * @param path the file
   * @return the open file
   */
  public static RegularFile openReadOnly(Path path) {
    return open(path, O_RDONLY, 0);
  }

  /**
   * Opens an existing file for reading and writing.
   *
   * @param path the file
   * @return the open file
   */
  public static RegularFile openReadWrite(Path path) {
    return open(path, O_RDWR, 0);
  }

  /**
   * Creates a new file for reading and writing; fails with EEXIST if the name is taken.
   *
   * @param path the file
   * @param mode the permission bits (before the umask), e.g. {@code 0664}
   * @return the open file
   */
  public static RegularFile createExclusive(Path path, int mode) {
    return open(path, O_RDWR | O_CREAT | O_EXCL, mode);
  }

  /**
   * The path this file was opened by (it may since have been renamed or unlinked).
   *
   * @return the path
   */
  public Path path() {
    return path;
  }

  /**
   * Allocates disk (or tmpfs) space for a byte range, growing the file if needed ({@code fallocate}
   * mode 0, as {@code posix_fallocate} does on Linux).
   *
   * @param offset the first byte
   * @param length the number of bytes (positive)
   * @throws OsException e.g. ENOSPC
   */
  public void allocate(long offset, long length) {
    int n = acquire();
    try {
      while (true) {
        int rc = Libc.FALLOCATE.call(n, 0, offset, length);
        if (rc != -Errno.EINTR) {
          OsException.check(rc, "fallocate(" + offset + ", " + length + ")", path.toString());
          return;
        }
      }
    } finally {
      release();
    }
  }

  /**
   * Sets the file's length ({@code ftruncate}).
   *
   * @param length the new length
   */
  public void truncate(long length) {
    int n = acquire();
    try {
      OsException.check(
          Libc.FTRUNCATE.call(n, length), "ftruncate(" + length + ")", path.toString());
    } finally {
      release();
    }
  }

  /**
   * The file's identity and size now ({@code fstat}).
   *
   * @return the status
   */
  public FileStatus status() {
    int n = acquire();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = arena.allocate(STAT_SIZE, 8);
      OsException.check(Libc.FSTAT.call(n, st), "fstat", path.toString());
      return new FileStatus(
          st.get(ValueLayout.JAVA_LONG, ST_DEV),
          st.get(ValueLayout.JAVA_LONG, ST_INO),
          st.get(ValueLayout.JAVA_INT, ST_MODE),
          st.get(ValueLayout.JAVA_LONG, ST_SIZE));
    } finally {
      release();
    }
  }

  /**
   * The file's size now.
   *
   * @return the size in bytes
   */
  public long size() {
    return status().size();
  }

  @Override
  public String toString() {
    return "RegularFile(" + path + ", " + fd + ")";
  }
}
