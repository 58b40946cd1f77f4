package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Named pipes ({@code mkfifo(3)}): a pipe with a name in the file system, so that an unrelated
 * process can open the other end. Both ends open non-blocking and close-on-exec, for an event loop:
 * the read end opens at once, with or without a writer; the write end only while a reader has it
 * open (else {@code ENXIO}).
 *
 * <pre>{@code
 * Fifo.create(path, 0600);
 * OwnedFd reader = Fifo.openReader(path);   // before any writer
 * OwnedFd writer = Fifo.openWriter(path);   // ENXIO if no reader
 * }</pre>
 */
public final class Fifo {
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 1;

  private Fifo() {}

  /**
   * Creates a FIFO ({@code mkfifo}).
   *
   * @param path where
   * @param mode the permission bits, e.g. {@code 0600} (less the umask)
   * @throws OsException EEXIST if the name is taken, ENOENT if the directory is missing
   */
  public static void create(Path path, int mode) {
    try (Arena arena = Arena.ofConfined()) {
      OsException.check(
          Libc.MKFIFO.call(arena.allocateFrom(path.toString()), mode), "mkfifo", path.toString());
    }
  }

  /**
   * Opens the read end; does not wait for a writer.
   *
   * @param path the FIFO
   * @return the read end, non-blocking and close-on-exec
   * @throws OsException ENOENT if there is no such FIFO
   */
  public static OwnedFd openReader(Path path) {
    return open(path, O_RDONLY, "open(FIFO for reading)");
  }

  /**
   * Opens the write end.
   *
   * @param path the FIFO
   * @return the write end, non-blocking and close-on-exec
   * @throws OsException ENXIO if no process has the FIFO open for reading (open a reader first)
   */
  public static OwnedFd openWriter(Path path) {
    return open(path, O_WRONLY, "open(FIFO for writing)");
  }

  private static OwnedFd open(Path path, int access, String call) {
    try (Arena arena = Arena.ofConfined()) {
      int rc =
          Libc.OPEN.call(
              arena.allocateFrom(path.toString()), access | Fd.O_NONBLOCK | Fd.O_CLOEXEC, 0);
      return OwnedFd.adopt(OsException.check(rc, call, path.toString()));
    }
  }
}
