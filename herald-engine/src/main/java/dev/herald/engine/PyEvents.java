package dev.herald.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Python helper for external plugins ({@code pyevents/events.py}, shipped inside this jar),
 * written out to a directory so a Python process started there can import it.
 *
 * <pre>{@code
 * Path dir = PyEvents.install(Files.createTempDirectory("pyevents"));
 * Files.writeString(dir.resolve("plugin.py"), pluginSource);   // does "from events import ..."
 * new ProcessBuilder(PyEvents.PYTHON, dir.resolve("plugin.py").toString()).inheritIO().start();
 * }</pre>
 */
public final class PyEvents {
  /** The interpreter the tests and tools use: Debian's, which has {@code python3-zmq}. */
  public static final String PYTHON = "/usr/bin/python3";

  private static final String FILE = "events.py";

  private PyEvents() {}

  /**
   * Writes {@code events.py} into {@code directory}.
   *
   * @param directory an existing directory
   * @return the directory
   */
  public static Path install(Path directory) {
    try (InputStream in = PyEvents.class.getResourceAsStream("pyevents/" + FILE)) {
      if (in == null) {
        throw new IllegalStateException(
            "pyevents/" + FILE + " is missing from the herald-engine jar; rebuild it");
      }
      Files.copy(in, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + FILE + " into " + directory, e);
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
