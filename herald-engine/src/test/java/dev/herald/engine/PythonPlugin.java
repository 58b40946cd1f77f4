package dev.herald.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real {@code /usr/bin/python3} process running a test script with the repository's {@code
 * pyevents/events.py} importable. Its output lines are collected; {@link #send} writes a line to
 * its stdin.
 */
final class PythonPlugin implements AutoCloseable {
  static final Path PYEVENTS = Path.of("..", "pyevents").toAbsolutePath().normalize();
  private static final String EOF = "\u0000eof";
  private static final boolean PYTHON_READY = PyEvents.available();

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final Writer stdin;

  private PythonPlugin(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
              } catch (IOException e) {
                lines.add("reader failed: " + e);
              } finally {
                lines.add(EOF);
              }
            });
  }

  /** Runs {@code script} (Python source) with the given arguments. */
  static PythonPlugin start(String script, Object... args) throws IOException {
    if (!PYTHON_READY) {
      // Fail at once with the fix rather than time out waiting for a plugin that cannot start.
      throw new AssertionError(
          PyEvents.PYTHON + " cannot import zmq: install python3-zmq (.ci/run does) and rerun");
    }
    Path file = Files.createTempFile("herald-engine-test", ".py");
    Files.writeString(file, script);
    file.toFile().deleteOnExit();
    List<String> command = new ArrayList<>(List.of(PyEvents.PYTHON, "-u", file.toString()));
    for (Object arg : args) {
      command.add(String.valueOf(arg));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PYTHONPATH", PYEVENTS.toString());
    return new PythonPlugin(builder.start());
  }

  /** The next output line; fails if the process ended first. */
  String nextLine() throws InterruptedException {
    String line = lines.take();
    if (line.equals(EOF)) {
      lines.add(EOF);
      throw new AssertionError("python ended; output so far: " + seen);
    }
    seen.add(line);
    return line;
  }

  /** Skips output until a line equal to {@code expected}. */
  void awaitLine(String expected) throws InterruptedException {
    while (!nextLine().equals(expected)) {
      // keep reading
    }
  }

  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Waits for exit and returns the exit code, with all remaining output read. */
  int exitCode() throws InterruptedException {
    int code = process.waitFor();
    String line;
    while (!(line = lines.take()).equals(EOF)) {
      seen.add(line);
    }
    lines.add(EOF);
    return code;
  }

  List<String> output() {
    return seen;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
