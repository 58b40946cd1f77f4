package dev.herald.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Upstream's lifecycle bugs, fixed: ports, failures, shutdown, restart, loopback. */
@Timeout(60)
class LifecycleTest {
  private static final EventType TYPE_A = EventType.named("TypeA");

  /** A plugin that waits for events until the application closes. */
  private static TestPlugin waiter(String name, CountDownLatch started) {
    return TestPlugin.of(
        name,
        (pub, in) -> {
          started.countDown();
          while (true) {
            in.take();
          }
        },
        TYPE_A);
  }

  private static ServerSocket occupy(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  /** Fails unless every port can be bound right now, i.e. the engine released them. */
  private static void assertFree(int... ports) throws IOException {
    for (int port : ports) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      }
    }
  }

  /**
   * IPv4 addresses (kernel hex) of listening TCP sockets on {@code port}, from /proc/net/tcp and
   * tcp6 (Java opens dual-stack sockets: 127.0.0.1 shows there as ::ffff:127.0.0.1).
   */
  private static Set<String> listeners(int port) throws IOException {
    Set<String> addresses = new HashSet<>();
    String suffix = ":" + String.format(Locale.ROOT, "%04X", port);
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> table = Files.readAllLines(Path.of(file));
      for (String line : table.subList(1, table.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields[1].endsWith(suffix) && fields[3].equals("0A")) {
          String address = fields[1].substring(0, fields[1].indexOf(':'));
          addresses.add(address.length() == 8 ? address : ipv4Of(address));
        }
      }
    }
    return addresses;
  }

  private static String ipv4Of(String ipv6) {
    if (ipv6.equals("0".repeat(32))) {
      return "00000000";
    }
    if (ipv6.startsWith("0000000000000000FFFF0000")) {
      return ipv6.substring(24);
    }
    return ipv6;
  }

  @Test
  void aTakenPortFailsRunAtOnceNamingThatPort() throws IOException {
    int publish = FreePorts.next();
    int subscribe = FreePorts.next();
    int external = FreePorts.next();
    AtomicBoolean started = new AtomicBoolean();
    record Case(int taken, String role) {}
    for (Case c :
        List.of(
            new Case(publish, "publish port " + publish),
            new Case(subscribe, "subscribe port " + subscribe),
            new Case(external, "command port of external plugin 'py', " + external))) {
      try (ServerSocket holder = occupy(c.taken())) {
        App app =
            new App(publish, subscribe)
                .registerPlugin(TestPlugin.of("p", (pub, in) -> started.set(true)))
                .registerExternalPlugin(ExternalPlugin.of("py", external, TYPE_A));
        EngineException e = assertThrows(EngineException.class, app::run);
        assertTrue(holder.isBound());
        assertEquals(EngineException.Kind.PORT_IN_USE, e.kind());
        assertTrue(e.getMessage().contains(c.role()), e.getMessage());
      }
      assertFree(publish, subscribe, external);
    }
    assertFalse(started.get(), "no plugin may start when a port cannot be bound");
  }

  @Test
  void aThrowingPluginStopsTheOthersAndRunReportsIt() throws IOException {
    int publish = FreePorts.next();
    int subscribe = FreePorts.next();
    int external = FreePorts.next();
    CountDownLatch waiting = new CountDownLatch(1);
    App app =
        new App(publish, subscribe)
            .registerPlugin(waiter("waiter", waiting))
            .registerPlugin(
                TestPlugin.of(
                    "crasher",
                    (pub, in) -> {
                      waiting.await();
                      throw new IllegalStateException("boom");
                    }))
            // No process ever connects: upstream would wait for its quit for ever.
            .registerExternalPlugin(ExternalPlugin.of("absent", external, TYPE_A));
    EngineException e = assertThrows(EngineException.class, app::run);
    assertEquals(EngineException.Kind.PLUGIN_FAILED, e.kind());
    assertTrue(e.getMessage().contains("'crasher'"), e.getMessage());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("boom", e.getCause().getMessage());
    assertFree(publish, subscribe, external);
  }

  @Test
  void failingSubscriptionsFailRunBeforeAnythingStarts() throws IOException {
    AtomicBoolean started = new AtomicBoolean();
    int publish = FreePorts.next();
    int subscribe = FreePorts.next();
    App app =
        new App(publish, subscribe)
            .registerPlugin(TestPlugin.of("fine", (pub, in) -> started.set(true)))
            .registerPlugin(
                new TestPlugin(
                    "broken",
                    null, // List.copyOf(null) throws, as a failing subscriptions() would
                    (pub, in) -> started.set(true)));
    EngineException e = assertThrows(EngineException.class, app::run);
    assertEquals(EngineException.Kind.PLUGIN_SETUP, e.kind());
    assertTrue(e.getMessage().contains("'broken'"), e.getMessage());
    assertFalse(started.get());
    assertFree(publish, subscribe);
  }

  @Test
  void closeFromAnotherThreadStopsEverythingAndTheSamePortsRunAgain() throws Throwable {
    int publish = FreePorts.next();
    int subscribe = FreePorts.next();
    int external = FreePorts.next();
    for (int round = 0; round < 3; round++) {
      CountDownLatch started = new CountDownLatch(2);
      App app =
          new App(publish, subscribe)
              .registerPlugin(waiter("waiter", started))
              .registerPlugin(
                  TestPlugin.of(
                      "sleeper",
                      (pub, in) -> {
                        started.countDown();
                        Thread.sleep(Long.MAX_VALUE);
                      }))
              .registerExternalPlugin(ExternalPlugin.of("absent", external, TYPE_A));
      RunningApp running = RunningApp.start(app);
      started.await();
      app.close();
      running.await(); // returns normally after close()
      assertFree(publish, subscribe, external);
      EngineException again = assertThrows(EngineException.class, app::run);
      assertEquals(EngineException.Kind.CONFIGURATION, again.kind());
    }
  }

  @Test
  void aPluginMayCloseItsOwnApplication() throws Throwable {
    int publish = FreePorts.next();
    int subscribe = FreePorts.next();
    int external = FreePorts.next();
    App[] self = new App[1];
    CountDownLatch waiting = new CountDownLatch(1);
    self[0] =
        new App(publish, subscribe)
            .registerPlugin(waiter("waiter", waiting))
            .registerPlugin(
                TestPlugin.of(
                    "closer",
                    (pub, in) -> {
                      waiting.await();
                      self[0].close();
                    }))
            .registerExternalPlugin(ExternalPlugin.of("absent", external, TYPE_A));
    self[0].run();
    assertFree(publish, subscribe, external);
  }

  @Test
  void publishingAfterCloseFailsWithClosed() throws Throwable {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Throwable[] seen = new Throwable[1];
    App app =
        new App(FreePorts.next(), FreePorts.next())
            .registerPlugin(
                TestPlugin.of(
                    "late-publisher",
                    (pub, in) -> {
                      started.countDown();
                      try {
                        closed.await();
                      } catch (InterruptedException e) {
                        // close() interrupts plugins: carry on to the publish
                      }
                      try {
                        pub.publish("TypeAlate".getBytes(UTF_8));
                      } catch (EngineException e) {
                        seen[0] = e;
                      }
                    }));
    RunningApp running = RunningApp.start(app);
    started.await();
    app.close();
    closed.countDown();
    running.await();
    EngineException e = assertInstanceOf(EngineException.class, seen[0]);
    assertEquals(EngineException.Kind.CLOSED, e.kind());
  }

  @Test
  void portsBindToLoopbackUnlessAllInterfacesAreAsked() throws Throwable {
    for (boolean all : new boolean[] {false, true}) {
      int publish = FreePorts.next();
      int subscribe = FreePorts.next();
      int external = FreePorts.next();
      CountDownLatch started = new CountDownLatch(1);
      App app =
          new App(publish, subscribe)
              .registerPlugin(waiter("waiter", started))
              .registerExternalPlugin(ExternalPlugin.of("absent", external, TYPE_A));
      if (all) {
        app.bindAllInterfaces();
      }
      RunningApp running = RunningApp.start(app);
      started.await();
      String expected = all ? "00000000" : "0100007F";
      for (int port : new int[] {publish, subscribe, external}) {
        assertEquals(Set.of(expected), listeners(port), "listener of port " + port);
      }
      app.close();
      running.await();
    }
  }

  @Test
  void badConfigurationIsRejectedWithAMessage() {
    int port = FreePorts.next();
    EngineException same = assertThrows(EngineException.class, () -> new App(port, port).run());
    assertEquals(EngineException.Kind.CONFIGURATION, same.kind());
    EngineException clash =
        assertThrows(
            EngineException.class,
            () ->
                new App(port, FreePorts.next())
                    .registerExternalPlugin(ExternalPlugin.of("x", port))
                    .run());
    assertTrue(clash.getMessage().contains("'x'"), clash.getMessage());
    EngineException duplicate =
        assertThrows(
            EngineException.class,
            () ->
                new App(FreePorts.next(), FreePorts.next())
                    .registerPlugin(TestPlugin.of("twin", (pub, in) -> {}))
                    .registerPlugin(TestPlugin.of("twin", (pub, in) -> {}))
                    .run());
    assertEquals(EngineException.Kind.CONFIGURATION, duplicate.kind());
    assertThrows(EngineException.class, () -> new App(0, 1));
    assertThrows(EngineException.class, () -> new App().queueCapacity(0));
  }
}
