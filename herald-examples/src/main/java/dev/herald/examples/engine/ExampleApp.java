package dev.herald.examples.engine;

import dev.herald.engine.App;
import dev.herald.engine.ExternalPlugin;
import dev.herald.engine.PyEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Upstream's example application, ported: {@link MsgProducerPlugin} and {@link CounterPlugin}
 * inside, and the Python plugin {@code example_plugin.py} as an external plugin subscribed to TypeA
 * and TypeB. Everything ends by itself: the producer after the Python plugin's TypeC goodbye, the
 * Python plugin after ten events.
 *
 * <pre>{@code
 * ExampleApp.Result result = ExampleApp.run(5559, 5560, 6000, System.out::println);
 * assert result.pythonExitCode() == 0;
 * }</pre>
 */
public final class ExampleApp {
  private static final String PLUGIN = "example_plugin.py";

  private ExampleApp() {}

  /**
   * How the example ended.
   *
   * @param pythonExitCode the Python plugin's exit code
   * @param droppedEvents events dropped by the engine (0 expected)
   */
  public record Result(int pythonExitCode, long droppedEvents) {}

  /**
   * Builds the example application without running it.
   *
   * @param publishPort the publish port
   * @param subscribePort the subscribe port
   * @param pluginPort the Python plugin's port
   * @param log receives one line per event
   * @return the application
   */
  public static App build(
      int publishPort, int subscribePort, int pluginPort, Consumer<String> log) {
    return new App(publishPort, subscribePort)
        .registerPlugin(new MsgProducerPlugin(log))
        .registerPlugin(new CounterPlugin(log))
        .registerExternalPlugin(
            ExternalPlugin.of("py_plugin", pluginPort, ExampleTypes.TYPE_A, ExampleTypes.TYPE_B));
  }

  /**
   * Runs the example with the Python plugin as a real {@code /usr/bin/python3} process, whose
   * output lines also go to {@code log}.
   *
   * @param publishPort the publish port
   * @param subscribePort the subscribe port
   * @param pluginPort the Python plugin's port
   * @param log receives one line per event
   * @return how it ended
   * @throws InterruptedException if interrupted while waiting for Python
   */
  public static Result run(int publishPort, int subscribePort, int pluginPort, Consumer<String> log)
      throws InterruptedException {
    Path dir;
    Process python;
    try {
      dir = PyEvents.install(Files.createTempDirectory("herald-pyevents"));
      installPlugin(dir);
      python =
          new ProcessBuilder(
                  PyEvents.PYTHON,
                  "-u",
                  dir.resolve(PLUGIN).toString(),
                  Integer.toString(pluginPort),
                  "127.0.0.1")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + PyEvents.PYTHON + " for the example", e);
    }
    Thread relay =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                    lines.lines().forEach(log);
                  } catch (IOException e) {
                    log.accept("(python output closed: " + e.getMessage() + ")");
                  }
                });
    App app = build(publishPort, subscribePort, pluginPort, log);
    try {
      // The Python REQ socket connects in the background and retries until the port is bound.
      app.run();
    } catch (RuntimeException e) {
      python.destroyForcibly();
      throw e;
    } finally {
      if (!python.waitFor(10, TimeUnit.SECONDS)) {
        python.destroyForcibly();
      }
      relay.join();
      deleteQuietly(dir);
    }
    return new Result(python.exitValue(), app.droppedEvents());
  }

  /** Writes the Python plugin, shipped beside this class, next to {@code events.py}. */
  private static void installPlugin(Path dir) throws IOException {
    try (InputStream in = ExampleApp.class.getResourceAsStream(PLUGIN)) {
      if (in == null) {
        throw new IllegalStateException(
            PLUGIN + " is missing from the herald-examples jar; rebuild it");
      }
      Files.copy(in, dir.resolve(PLUGIN));
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
