package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replaces the running program with another one in the same process ({@code execve(2)}): the pid,
 * the calling thread's signal mask, pending signals and the fds without close-on-exec are kept;
 * every other thread ends. For a JVM, this is how it restarts itself with other options while
 * scripts keep the pid they started (a JVM's signal dispositions cannot be changed once it runs).
 *
 * <pre>{@code
 * Signals.block(Signals.SIGINT, Signals.SIGTERM);   // kept by the new program
 * ProcessImage.markCloseOnExec(3);                  // the JVM's own fds (its jars) stay behind
 * ProcessImage.exec("/proc/self/exe", List.of("java", "-Xrs", "-jar", "app.jar"),
 *     List.of("PATH=/usr/bin", "RESTARTED=1"));
 * }</pre>
 */
public final class ProcessImage {
  private ProcessImage() {}

  /**
   * Runs {@code program} in place of this one; returns only by throwing.
   *
   * @param program the path of the executable (no {@code PATH} lookup)
   * @param arguments its {@code argv}, the program's name first
   * @param environment its environment, {@code NAME=VALUE} each
   * @throws OsException from {@code execve}: ENOENT, EACCES, E2BIG, ...
   * @throws IllegalArgumentException if {@code arguments} is empty
   */
  public static void exec(String program, List<String> arguments, List<String> environment) {
    if (arguments.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot exec " + program + " without arguments: give at least the program's name");
    }
    try (Arena arena = Arena.ofConfined()) {
      int rc =
          Libc.EXECVE.call(
              arena.allocateFrom(program),
              ChildProcess.strings(arena, arguments),
              ChildProcess.strings(arena, environment));
      OsException.check(rc, "execve", program);
    }
  }

  /**
   * Sets close-on-exec on every fd of this process numbered {@code lowest} or above, read from
   * {@code /proc/self/fd}: a JVM opens its jar files and module image without it, and a new program
   * would inherit them unused. Fds that close meanwhile are skipped.
   *
   * @param lowest the first fd to mark, e.g. 3 to keep the standard streams
   * @throws UncheckedIOException if {@code /proc/self/fd} cannot be read
   */
  public static void markCloseOnExec(int lowest) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path entry : fds) {
        int fd = Integer.parseInt(entry.getFileName().toString());
        if (fd >= lowest) {
          Libc.FCNTL_SET.call(fd, Fd.F_SETFD, Fd.FD_CLOEXEC); // EBADF: closed meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list this process's fds in /proc/self/fd", e);
    }
  }

  /**
   * This JVM's environment, {@code NAME=VALUE} each, for {@link #exec} (or a child).
   *
   * @return the variables
   */
  public static List<String> currentEnvironment() {
    return ChildProcess.environment();
  }
}
