package dev.herald.examples.engine;

import dev.herald.engine.PyEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The example's Python plugin as a child process: its two files in a temporary directory, its
 * output relayed line by line, its end watched, and nothing left behind once closed (no process, no
 * directory), however the example ended.
 */
final class PythonPluginProcess implements AutoCloseable {
  private static final String PLUGIN = "example_plugin.py";

  /** How long a plugin that exited with 0 leaves the example to finish by itself. */
  private static final Duration FINISH_GRACE = Duration.ofSeconds(5);

  /** How long the plugin may take to exit once the example has finished or was stopped. */
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread relay;
  private final Thread watcher;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile String death;

  private PythonPluginProcess(
      Path dir, int port, Process process, Consumer<String> log, Runnable onDeath) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.relay = Thread.ofVirtual().start(() -> relay(log));
    this.watcher = Thread.ofVirtual().start(() -> watch(onDeath));
  }

  /**
   * Starts {@code example_plugin.py} for {@code port}; {@code onDeath} runs (once, on another
   * thread) if the process ends before {@link #finished()}.
   */
  static PythonPluginProcess start(int port, Consumer<String> log, Runnable onDeath) {
    Path dir;
    try {
      dir = Files.createTempDirectory("herald-pyevents");
    } catch (IOException e) {
      throw new ExampleException(
          ExampleException.Kind.PLUGIN_START,
          "cannot create a temporary directory for the Python plugin: " + e,
          e);
    }
    // A JVM that exits without unwinding the example (System.exit elsewhere) still removes them.
    dir.toFile().deleteOnExit();
    try {
      PyEvents.install(dir).resolve("events.py").toFile().deleteOnExit();
      installPlugin(dir).toFile().deleteOnExit();
      // -B: no __pycache__ in the directory; -u: lines reach the log as they are printed.
      Process process =
          new ProcessBuilder(
                  PyEvents.PYTHON,
                  "-B",
                  "-u",
                  dir.resolve(PLUGIN).toString(),
                  Integer.toString(port),
                  "127.0.0.1")
              .redirectErrorStream(true)
              .start();
      return new PythonPluginProcess(dir, port, process, log, onDeath);
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      throw new ExampleException(
          ExampleException.Kind.PLUGIN_START,
          "cannot start the example's Python plugin ("
              + PyEvents.PYTHON
              + " "
              + PLUGIN
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** Writes the Python plugin, shipped beside this class, next to {@code events.py}. */
  private static Path installPlugin(Path dir) throws IOException {
    try (InputStream in = PythonPluginProcess.class.getResourceAsStream(PLUGIN)) {
      if (in == null) {
        throw new IllegalStateException(
            PLUGIN + " is missing from the herald-examples jar; rebuild it");
      }
      Path file = dir.resolve(PLUGIN);
      Files.copy(in, file);
      return file;
    }
  }

  private void relay(Consumer<String> log) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      lines.lines().forEach(log);
    } catch (IOException | UncheckedIOException e) {
      log.accept("(python output closed: " + e.getMessage() + ")");
    }
  }

  private void watch(Runnable onDeath) {
    try {
      int code = process.waitFor();
      if (code == 0 && finished.await(FINISH_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      if (finished.getCount() > 0) {
        death =
            "the Python plugin (pid "
                + process.pid()
                + ", port "
                + port
                + ") "
                + ended(code)
                + " before the example finished; the example was stopped";
        onDeath.run();
      }
    } catch (InterruptedException e) {
      // closed: the example ended first
    }
  }

  private static String ended(int code) {
    // Java reports a process killed by signal N as 128 + N.
    return code > 128 ? "was killed by signal " + (code - 128) : "exited with code " + code;
  }

  /** Marks the example as finished: from now on the plugin's end is expected. */
  void finished() {
    finished.countDown();
  }

  /**
   * Throws if the plugin ended before the example finished, with {@code cause} (what that did to
   * the example) attached.
   */
  void failIfDied(Throwable cause) {
    String d = death;
    if (d != null) {
      throw new ExampleException(ExampleException.Kind.PLUGIN_DIED, d, cause);
    }
  }

  /**
   * After the example finished: waits for the plugin to exit by itself and throws unless it ended
   * with code 0.
   */
  void awaitCleanExit() throws InterruptedException {
    finished();
    failIfDied(null);
    if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new ExampleException(
          ExampleException.Kind.PLUGIN_DIED,
          "the Python plugin (pid "
              + process.pid()
              + ") did not exit within "
              + EXIT_WAIT.toSeconds()
              + " s of the example's end; it was killed",
          null);
    }
    if (process.exitValue() != 0) {
      throw new ExampleException(
          ExampleException.Kind.PLUGIN_DIED,
          "the Python plugin (pid "
              + process.pid()
              + ") "
              + ended(process.exitValue())
              + " at the example's end (its output is above)",
          null);
    }
  }

  /** Ends the process if it still runs, waits for it and its threads, and removes the directory. */
  @Override
  public void close() {
    finished();
    watcher.interrupt();
    boolean interrupted = Thread.interrupted();
    try {
      process.destroy();
      if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
      relay.join();
      watcher.join();
    } catch (InterruptedException e) {
      interrupted = true;
      process.destroyForcibly();
    } finally {
      deleteTree(dir);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | UncheckedIOException e) {
      // Left to deleteOnExit: the files are registered there too.
    }
  }
}
