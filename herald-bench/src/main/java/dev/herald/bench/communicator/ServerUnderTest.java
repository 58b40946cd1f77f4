package dev.herald.bench.communicator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The driver's handle on one server process ({@link HeraldLineServer} or {@link NettyLineServer}),
 * started with the same JVM options for both, and talked to through its {@link ServerProbe}.
 */
final class ServerUnderTest implements AutoCloseable {
  /**
   * The same for both servers: a fixed, pre-touched heap, so that the resident set grows only with
   * what lives outside the heap; Netty may use {@code sun.misc.Unsafe} as it does by default on
   * older JDKs.
   */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow",
          "-Xms1g",
          "-Xmx1g",
          "-XX:+AlwaysPreTouch");

  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;
  private final String transport;
  private final int port;

  private ServerUnderTest(Process process) throws IOException {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.transport = expect("transport ");
    this.port = Integer.parseInt(expect("port "));
  }

  static ServerUnderTest start(Class<?> server) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    String extra = System.getProperty("bench.serverJvmOptions", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split(" +"))); // diagnostics, e.g. native memory tracking
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), server.getName()));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      return new ServerUnderTest(process);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private String expect(String prefix) throws IOException {
    String line = out.readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IllegalStateException("server said \"" + line + "\", expected " + prefix + "...");
    }
    return line.substring(prefix.length());
  }

  String transport() {
    return transport;
  }

  int port() {
    return port;
  }

  /** Sends a {@link ServerProbe} command and returns the answer's words. */
  String[] command(String command) throws IOException {
    in.println(command);
    String answer = out.readLine();
    if (answer == null) {
      throw new IllegalStateException("server exited on \"" + command + "\"");
    }
    return answer.split(" ");
  }

  @Override
  public void close() {
    in.println("quit");
    try {
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }
}
