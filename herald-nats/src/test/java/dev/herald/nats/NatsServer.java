package dev.herald.nats;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nats-server} with JetStream on a loopback port, for tests: alone, or as one node of
 * a {@link NatsCluster}. Its store and log live in the directory the test gives; {@link #kill} and
 * {@link #restart} keep both, so a restarted node comes back with its streams.
 */
public final class NatsServer implements AutoCloseable {
  private static final long READY_TIMEOUT_MS = 15_000;

  private final String name;
  private final Path dir;
  private final int port;
  private final List<String> clusterArgs;
  private Process process;

  private NatsServer(String name, Path dir, int port, List<String> clusterArgs) {
    this.name = name;
    this.dir = dir;
    this.port = port;
    this.clusterArgs = clusterArgs;
  }

  /**
   * Starts a single JetStream server on a free loopback port.
   *
   * @param dir where the server keeps its store and log (a test's temporary directory)
   * @return the running server
   */
  public static NatsServer start(Path dir) throws IOException {
    NatsServer server = new NatsServer("solo", dir, freePort(), List.of());
    server.launch();
    return server;
  }

  static NatsServer clusterNode(
      String name, Path dir, int port, String clusterName, int clusterPort, String routes) {
    return new NatsServer(
        name,
        dir,
        port,
        List.of(
            "--cluster_name",
            clusterName,
            "--cluster",
            "nats://127.0.0.1:" + clusterPort,
            "--routes",
            routes));
  }

  /** The URL clients connect to. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /**
   * The CPU time the server process has used so far (user and system), for benchmarks that compare
   * what each kind of message costs the server.
   *
   * @return the CPU time, or zero where the platform does not tell
   */
  public Duration cpuTime() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Whether the server process is running. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the server at once (SIGKILL), as a crash would; its store stays for {@link #restart}. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts the server again on the same port with the same store. */
  public void restart() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException("nats-server " + name + " is still running");
    }
    launch();
  }

  void launch() throws IOException {
    Path store = dir.resolve(name + "-store");
    Path log = dir.resolve(name + ".log");
    Files.createDirectories(store);
    Files.deleteIfExists(log);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            binary(),
            "-a",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-n",
            name,
            "-js",
            "-sd",
            store.toString(),
            "-l",
            log.toString()));
    command.addAll(clusterArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    while (!accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String tail = Files.exists(log) ? Files.readString(log) : "(no log)";
        process.destroyForcibly();
        throw new IOException(
            "nats-server " + name + " did not start on port " + port + ":\n" + tail);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting nats-server", e);
      }
    }
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@code nats-server} is installed here ({@code .ci/run} installs it). */
  static String binary() {
    for (String candidate : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(":")) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, "nats-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "nats-server is not installed: apt-get install nats-server (.ci/run does it)");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
