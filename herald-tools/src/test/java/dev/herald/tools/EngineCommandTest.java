package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.engine.App;
import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import dev.herald.engine.PyEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code herald engine publish} and {@code tap} against a real running application. */
@Timeout(60)
class EngineCommandTest {
  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** Answers each TypeA with TypeB and the same body, until it sees TypeAstop. */
  private static final class Relay implements Plugin {
    @Override
    public String name() {
      return "relay";
    }

    @Override
    public List<EventType> subscriptions() {
      return List.of(EventType.named("TypeA"));
    }

    @Override
    public void start(Publisher publisher, Inbox inbox) {
      while (true) {
        byte[] event = inbox.take();
        byte[] relayed = event.clone();
        relayed[4] = 'B';
        publisher.publish(relayed);
      }
    }
  }

  private static int execute(StringWriter out, String... args) {
    CommandLine cli = Herald.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  void publishedEventsComeBackThroughTheTapWithItsFilter() throws Exception {
    int publish = freePort();
    int subscribe = freePort();
    App app = new App(publish, subscribe).registerPlugin(new Relay());
    Thread runner = Thread.ofPlatform().start(app::run);
    StringWriter tapped = new StringWriter();
    CompletableFuture<Integer> tap =
        CompletableFuture.supplyAsync(
            () ->
                execute(
                    tapped,
                    "engine",
                    "tap",
                    "--port",
                    Integer.toString(subscribe),
                    "--filter",
                    "TypeB",
                    "--count",
                    "1"));
    // Slow joiners on both sockets: publish until the tap has printed the relayed event.
    while (!tap.isDone()) {
      StringWriter published = new StringWriter();
      String port = Integer.toString(publish);
      assertEquals(
          0,
          execute(
              published,
              "engine",
              "publish",
              "--port",
              port,
              "--connect-wait-ms",
              "100",
              "TypeAhello"));
      assertEquals(
          0,
          execute(
              published,
              "engine",
              "publish",
              "--port",
              port,
              "--connect-wait-ms",
              "100",
              "--hex",
              "54797065410001ff"));
      assertTrue(published.toString().contains("published TypeAhello"), published.toString());
      assertTrue(
          published.toString().contains("published 0x54797065410001ff"), published.toString());
    }
    assertEquals(0, tap.get());
    String line = tapped.toString().lines().findFirst().orElseThrow();
    assertTrue(line.equals("TypeBhello") || line.equals("0x54797065420001ff"), line);
    app.close();
    runner.join();
  }

  /** {@code herald engine example ARGS} in a child JVM, on free ports, its stderr captured. */
  private static Process example(Path err, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "engine",
                "example",
                "--publish-port",
                Integer.toString(freePort()),
                "--subscribe-port",
                Integer.toString(freePort()),
                "--plugin-port",
                Integer.toString(freePort())));
    command.addAll(List.of(args));
    return HeraldJvm.command(command.toArray(String[]::new))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile())
        .start();
  }

  /** The example's running Python plugin, once started. */
  private static ProcessHandle pythonOf(Process example) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (example.isAlive() && System.nanoTime() < deadline) {
      // A child seen between fork and exec still shows the JVM's command line: wait for Python's.
      Optional<ProcessHandle> python =
          example.children().filter(c -> pluginPath(c).isPresent()).findFirst();
      if (python.isPresent()) {
        return python.get();
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the example did not start its Python plugin");
  }

  /** The plugin's temporary directory, from its command line. */
  private static Path pluginDir(ProcessHandle python) {
    return pluginPath(python).orElseThrow().getParent();
  }

  private static Optional<Path> pluginPath(ProcessHandle process) {
    return process.info().arguments().stream()
        .flatMap(Arrays::stream)
        .filter(a -> a.endsWith("example_plugin.py"))
        .map(Path::of)
        .findFirst();
  }

  private static void end(Process example) throws InterruptedException {
    example.children().forEach(ProcessHandle::destroyForcibly);
    example.destroyForcibly();
    example.waitFor();
  }

  @Test
  void sigtermToTheExampleEndsItsPythonPluginAndRemovesItsDirectory(@TempDir Path tmp)
      throws Exception {
    Process example = example(tmp.resolve("err"));
    try {
      ProcessHandle python = pythonOf(example);
      Path dir = pluginDir(python);
      assertTrue(Files.isDirectory(dir), dir.toString());
      example.destroy(); // SIGTERM
      assertTrue(example.waitFor(30, TimeUnit.SECONDS), "the example ends on SIGTERM");
      assertTrue(
          python.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).get() != null,
          "the Python plugin is not left running");
      assertFalse(Files.exists(dir), "the plugin's directory is removed: " + dir);
      assertEquals("", Files.readString(tmp.resolve("err")), "no error, no trace");
    } finally {
      end(example);
    }
  }

  @Test
  void aKilledPythonPluginEndsTheExampleWithOneLineAndExitCode1(@TempDir Path tmp)
      throws Exception {
    Process example = example(tmp.resolve("err"));
    try {
      ProcessHandle python = pythonOf(example);
      Path dir = pluginDir(python);
      assertTrue(python.destroyForcibly()); // SIGKILL
      assertTrue(example.waitFor(30, TimeUnit.SECONDS), "the example notices and ends");
      List<String> err = Files.readAllLines(tmp.resolve("err"));
      assertEquals(1, err.size(), err.toString());
      assertTrue(
          err.getFirst().startsWith("herald engine example: the Python plugin (pid " + python.pid())
              && err.getFirst().contains("was killed by signal 9 before the example finished"),
          err.getFirst());
      assertEquals(1, example.exitValue());
      assertFalse(Files.exists(dir), "the plugin's directory is removed: " + dir);
    } finally {
      end(example);
    }
  }

  /** The project's {@code pyevents} directory, found upward from the working directory. */
  private static Path pyevents() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("pyevents/example_plugin.py"))) {
        return dir.resolve("pyevents");
      }
    }
    throw new AssertionError("no pyevents/example_plugin.py above " + Path.of("").toAbsolutePath());
  }

  @Test
  void externalWaitsForAPluginTheUserStartsAndEndsWithIt() throws Exception {
    assertTrue(PyEvents.available(), PyEvents.PYTHON + " cannot import zmq: install python3-zmq");
    int plugin = freePort();
    CompletableFuture<CapturedRun> example =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return CapturedRun.of(
                    "engine",
                    "example",
                    "--external",
                    "--publish-port",
                    Integer.toString(freePort()),
                    "--subscribe-port",
                    Integer.toString(freePort()),
                    "--plugin-port",
                    Integer.toString(plugin));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    // Started by hand, as a user would, from the project's pyevents directory.
    Process python =
        new ProcessBuilder(
                PyEvents.PYTHON, "-B", "-u", "example_plugin.py", Integer.toString(plugin))
            .directory(pyevents().toFile())
            .redirectErrorStream(true)
            .start();
    try {
      String pythonOut = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, python.waitFor(), pythonOut);
      assertTrue(pythonOut.contains("py_plugin got b'TypeB17'"), pythonOut);
      CapturedRun run = example.get(30, TimeUnit.SECONDS);
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().contains("waiting for an external plugin on tcp://127.0.0.1:" + plugin));
      assertTrue(run.out().contains("msg_producer got TypeC 'Goodbye from python'"), run.out());
      assertTrue(run.out().contains("engine example done: 0 events dropped"), run.out());
    } finally {
      python.destroyForcibly();
    }
  }
}
