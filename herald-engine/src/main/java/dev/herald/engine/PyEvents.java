package dev.herald.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The Python helper for external plugins ({@code pyevents/events.py}, shipped inside this jar) and
 * the example's Python plugin, written out to a directory so a Python process can import them.
 *
 * <pre>{@code
 * Path dir = PyEvents.install(Files.createTempDirectory("pyevents"));
 * new ProcessBuilder("/usr/bin/python3", dir.resolve("example_plugin.py").toString(), "6000")
 *     .inheritIO().start();
 * }</pre>
 */
public final class PyEvents {
  /** The interpreter the tests and tools use: Debian's, which has {@code python3-zmq}. */
  public static final String PYTHON = "/usr/bin/python3";

  private static final List<String> FILES = List.of("events.py", "example_plugin.py");

  private PyEvents() {}

  /**
   * Writes {@code events.py} and {@code example_plugin.py} into {@code directory}.
   *
   * @param directory an existing directory
   * @return the directory
   */
  public static Path install(Path directory) {
    for (String file : FILES) {
      try (InputStream in = PyEvents.class.getResourceAsStream("pyevents/" + file)) {
        if (in == null) {
          throw new IllegalStateException(
              "pyevents/" + file + " is missing from the herald-engine jar; rebuild it");
        }
        Files.copy(in, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + " into " + directory, e);
      }
    }
    return directory;
  }

  /**
   * Whether {@link #PYTHON} exists and can import {@code zmq}.
   *
   * @return true if external Python plugins can run here
   */
  public static boolean available() {
    try {
      Process check =
          new ProcessBuilder(PYTHON, "-c", "import zmq")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return check.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
