package dev.herald.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code herald service ARGS} as a child JVM, read as a script reads it: the {@code listening on}
 * lines up to {@code ready}. Its stderr goes to a file, read at the end.
 */
final class ServiceProcess implements AutoCloseable {
  final Process process;
  final List<String> listening = new ArrayList<>();
  private final Path err;
  private final BufferedReader out;

  private ServiceProcess(Process process, Path err) {
    this.process = process;
    this.err = err;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts the service and waits for its {@code ready} line. */
  static ServiceProcess start(Path dir, String... args) throws IOException {
    return start(dir, Map.of(), args);
  }

  /**
   * Starts the service with {@code environment} added to this JVM's and waits for {@code ready}.
   */
  static ServiceProcess start(Path dir, Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("service"));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "service", ".err");
    ProcessBuilder builder =
        HeraldJvm.command(command.toArray(String[]::new)).redirectError(err.toFile());
    builder.environment().putAll(environment);
    ServiceProcess service = new ServiceProcess(builder.start(), err);
    try {
      String line;
      while ((line = service.out.readLine()) != null && !line.equals("ready")) {
        if (!line.startsWith("listening on ")) {
          throw new AssertionError("unexpected line before ready: " + line);
        }
        service.listening.add(line.substring("listening on ".length()));
      }
      if (line == null) {
        throw new AssertionError("the service ended before 'ready': " + service.err());
      }
    } catch (IOException | RuntimeException | Error e) {
      service.close();
      throw e;
    }
    return service;
  }

  /** Sends a signal by name (TERM, INT). */
  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
  }

  /** Waits for the exit; null if it has not ended within {@code millis}. */
  Integer exitWithin(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** What it wrote on stderr so far. */
  String err() throws IOException {
    return Files.readString(err);
  }

  /** What it wrote on stdout after {@code ready}. */
  String rest() throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
