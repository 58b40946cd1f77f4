package dev.herald.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which threads of this process block a signal, read from {@code /proc/self/task/TID/status}.
 *
 * <p>A signal sent to the process ({@code kill PID}) goes to a thread that does not block it, and
 * runs that thread's disposition (the default action, or the JVM's handler); only while every
 * thread blocks it does it stay pending for a {@link SignalFd}. A JVM starts threads of its own
 * before any Java code runs, each with the signal mask of the thread that started it, and HotSpot
 * unblocks SIGHUP, SIGINT and SIGTERM in each (unless run with {@code -Xrs}). So a process-directed
 * signal reaches a signalfd only if the JVM was started with it blocked ({@link ChildProcess#spawn}
 * with {@code blockedSignals}, or any launcher that blocks it before {@code exec}); a
 * thread-directed one ({@link Signals#raise}) reaches it whenever the target thread blocks it.
 *
 * <pre>{@code
 * List<String> open = SignalMasks.threadsNotBlocking(Signals.SIGUSR1);
 * if (!open.isEmpty()) {
 *   log.warn("kill -USR1 would reach {}", open);   // e.g. [1234 (main), 1240 (GC Thread#0)]
 * }
 * }</pre>
 */
public final class SignalMasks {
  private SignalMasks() {}

  /**
   * The threads of this process that do not block {@code signal}, now (a thread started later has
   * the mask of the thread that started it).
   *
   * @param signal 1 to 64
   * @return {@code "TID (name)"} of each such thread; empty when every thread blocks it
   * @throws UncheckedIOException if {@code /proc/self/task} cannot be read
   */
  public static List<String> threadsNotBlocking(int signal) {
    if (signal < 1 || signal > 64) {
      throw new IllegalArgumentException("not a signal number: " + signal);
    }
    long bit = 1L << (signal - 1);
    List<String> open = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String name = "?";
        long blocked = -1;
        List<String> lines;
        try {
          lines = Files.readAllLines(task.resolve("status"));
        } catch (NoSuchFileException gone) {
          continue; // the thread ended meanwhile
        }
        for (String line : lines) {
          if (line.startsWith("Name:")) {
            name = line.substring(5).strip();
          } else if (line.startsWith("SigBlk:")) {
            blocked = Long.parseUnsignedLong(line.substring(7).strip(), 16);
          }
        }
        if ((blocked & bit) == 0) {
          open.add(task.getFileName() + " (" + name + ")");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the threads' signal masks in /proc/self/task", e);
    }
    return open;
  }
}
