package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.engine.App;
import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

  private static void removeTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void sigtermToTheExampleEndsItsPythonPlugin() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process example =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Herald.class.getName(),
                "engine",
                "example",
                "--publish-port",
                Integer.toString(freePort()),
                "--subscribe-port",
                Integer.toString(freePort()),
                "--plugin-port",
                Integer.toString(freePort()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<Path> pluginDirs = new ArrayList<>();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Optional<ProcessHandle> python = Optional.empty();
      while (python.isEmpty() && example.isAlive() && System.nanoTime() < deadline) {
        python = example.children().findFirst();
        Thread.sleep(20);
      }
      assertTrue(python.isPresent() && example.isAlive(), "the example runs its Python plugin");
      // herald-examples still leaves its plugin directory behind on a signal: remove it here.
      python.get().info().arguments().stream()
          .flatMap(Arrays::stream)
          .filter(a -> a.endsWith(".py"))
          .map(a -> Path.of(a).getParent())
          .forEach(pluginDirs::add);
      example.destroy(); // SIGTERM
      assertTrue(example.waitFor(30, TimeUnit.SECONDS), "the example ends on SIGTERM");
      assertTrue(
          python.get().onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).get() != null,
          "the Python plugin is not left running");
    } finally {
      example.destroyForcibly();
      example.children().forEach(ProcessHandle::destroyForcibly);
      example.waitFor();
      for (Path dir : pluginDirs) {
        removeTree(dir);
      }
    }
  }
}
