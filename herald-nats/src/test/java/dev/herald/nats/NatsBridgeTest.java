package dev.herald.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.engine.App;
import dev.herald.engine.EventType;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamConfiguration;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Engine applications exchanging events through a real nats-server. */
@Timeout(120)
class NatsBridgeTest {
  private static final EventType TYPE_A = EventType.named("TypeA");
  private static final EventType TYPE_AB = EventType.named("TypeAB");
  private static final EventType TYPE_B = EventType.named("TypeB");
  private static final EventType TYPE_C = EventType.named("TypeC");
  private static final EventType ALL = EventType.named("");

  @Test
  void twoApplicationsExchangeEventsInOrderWithTheirBytesUnchanged(@TempDir Path dir)
      throws Exception {
    int count = 2_000;
    try (NatsServer server = NatsServer.start(dir);
        NatsBridge bridgeA =
            NatsBridge.connect(settings(server).exporting(TYPE_A).importing(TYPE_B));
        NatsBridge bridgeB =
            NatsBridge.connect(settings(server).exporting(TYPE_B).importing(TYPE_A))) {
      List<byte[]> atA = Collections.synchronizedList(new ArrayList<>());
      List<byte[]> atB = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch received = new CountDownLatch(2);
      App a =
          app()
              .registerPlugin(bridgeA)
              .registerPlugin(producer("producer-a", TYPE_A, count))
              .registerPlugin(receiver("receiver-a", TYPE_B, count, atA, received));
      App b =
          app()
              .registerPlugin(bridgeB)
              .registerPlugin(producer("producer-b", TYPE_B, count))
              .registerPlugin(receiver("receiver-b", TYPE_A, count, atB, received));
      CompletableFuture<Void> runA = run(a);
      CompletableFuture<Void> runB = run(b);
      assertTrue(received.await(60, TimeUnit.SECONDS), "not every event crossed NATS");
      a.close();
      b.close();
      runA.get(20, TimeUnit.SECONDS);
      runB.get(20, TimeUnit.SECONDS);
      for (int i = 0; i < count; i++) {
        assertArrayEquals(event(TYPE_B, i), atA.get(i), "event " + i + " at A");
        assertArrayEquals(event(TYPE_A, i), atB.get(i), "event " + i + " at B");
      }
      for (NatsBridge bridge : List.of(bridgeA, bridgeB)) {
        assertEquals(new NatsBridgeStats(count, 0, 0, count), bridge.stats());
      }
    }
  }

  @Test
  void onlyExportedTypesAreSentEachOnTheSubjectOfItsLongestFilter(@TempDir Path dir)
      throws Exception {
    List<String> published = List.of("TypeA1", "TypeB2", "TypeAB3", "X4", "TypeA5", "TypeC6");
    try (NatsServer server = NatsServer.start(dir);
        NatsBridge bridge = NatsBridge.connect(settings(server).exporting(TYPE_A, TYPE_AB))) {
      App app =
          app()
              .registerPlugin(bridge)
              .registerPlugin(
                  ScriptedPlugin.of(
                      "producer",
                      (pub, in) -> {
                        for (String text : published) {
                          pub.publish(text.getBytes(UTF_8));
                        }
                      }));
      CompletableFuture<Void> running = run(app);
      await(() -> bridge.stats().exported() == 3, "three events exported");
      app.close();
      running.get(20, TimeUnit.SECONDS);
      try (Connection nc = Nats.connect(server.url())) {
        JetStreamManagement jsm = nc.jetStreamManagement();
        String stream = NatsBridgeSettings.DEFAULT_STREAM;
        assertEquals(3, jsm.getStreamInfo(stream).getStreamState().getMsgCount());
        List<String> stored = new ArrayList<>();
        for (long seq = 1; seq <= 3; seq++) {
          MessageInfo message = jsm.getMessage(stream, seq);
          stored.add(message.getSubject() + " " + new String(message.getData(), UTF_8));
        }
        assertEquals(
            List.of(
                "herald.events.TypeA TypeA1",
                "herald.events.TypeAB TypeAB3",
                "herald.events.TypeA TypeA5"),
            stored);
      }
      assertEquals(new NatsBridgeStats(3, 0, 0, 0), bridge.stats());
    }
  }

  @Test
  void importedEventsReachInternalPluginsAndTcpSubscribersButOtherTypesDoNot(@TempDir Path dir)
      throws Exception {
    int count = 200;
    try (NatsServer server = NatsServer.start(dir);
        NatsBridge bridge = NatsBridge.connect(settings(server).importing(TYPE_A));
        Connection remote = Nats.connect(server.url());
        ZContext zmq = new ZContext()) {
      List<byte[]> internal = Collections.synchronizedList(new ArrayList<>());
      App app =
          app()
              .registerPlugin(bridge)
              .registerPlugin(
                  ScriptedPlugin.of(
                      "everything",
                      (pub, in) -> {
                        while (true) {
                          internal.add(in.take());
                        }
                      },
                      ALL));
      CompletableFuture<Void> running = run(app);
      ZMQ.Socket sub = zmq.createSocket(SocketType.SUB);
      sub.setReceiveTimeOut(100);
      sub.connect("tcp://127.0.0.1:" + app.subscribePort());
      sub.subscribe(TYPE_A.filter());
      // A remote application's export is a JetStream publish of the event's bytes on its subject;
      // repeat a first event until the subscriber's subscription has reached the engine.
      byte[] hello = TYPE_A.prefixed("hello".getBytes(UTF_8));
      byte[] first = null;
      for (int i = 0; i < 300 && first == null; i++) {
        remote.jetStream().publish("herald.events.TypeA", hello);
        first = sub.recv();
      }
      assertArrayEquals(hello, first, "the TCP subscriber never got an imported event");
      while (sub.recv() != null) {
        // the other greetings
      }
      remote.jetStream().publish("herald.events.TypeC", TYPE_C.prefixed(new byte[] {1}));
      for (int i = 0; i < count; i++) {
        remote.jetStream().publish("herald.events.TypeA", event(TYPE_A, i));
      }
      List<byte[]> tcp = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] frame = receive(sub);
        tcp.add(frame);
      }
      sub.close();
      await(() -> bridge.stats().imported() >= count + 1, "every event imported");
      List<byte[]> imported = List.copyOf(internal);
      app.close();
      running.get(20, TimeUnit.SECONDS);
      List<byte[]> events = imported.stream().filter(e -> !Arrays.equals(e, hello)).toList();
      assertEquals(count, events.size(), "events of a type not imported reached the application");
      for (int i = 0; i < count; i++) {
        assertArrayEquals(event(TYPE_A, i), events.get(i), "internal plugin, event " + i);
        assertArrayEquals(event(TYPE_A, i), tcp.get(i), "TCP subscriber, event " + i);
      }
      assertEquals(0, bridge.stats().exported());
    }
  }

  /**
   * The importer must notice a consumer lost with the restarted server. It once asked the consumer
   * for its pending count, which jnats answers from a copy taken at the first question, and stayed
   * without events after about one restart in five; it asks the stream now. Still a soak test: in a
   * full suite run the importer again stopped short of the stored events, cause not yet known.
   */
  @Test
  @Tag("soak")
  void eventsPublishedWhileTheServerIsAwayArriveLaterAndEveryLossIsCounted(@TempDir Path dir)
      throws Exception {
    int count = 3_000;
    try (NatsServer server = NatsServer.start(dir);
        NatsBridge exporter = NatsBridge.connect(settings(server).exporting(TYPE_A));
        NatsBridge importer = NatsBridge.connect(settings(server).importing(TYPE_A))) {
      AtomicInteger published = new AtomicInteger();
      List<Integer> received = Collections.synchronizedList(new ArrayList<>());
      App a =
          app()
              .registerPlugin(exporter)
              .registerPlugin(
                  ScriptedPlugin.of(
                      "paced-producer",
                      (pub, in) -> {
                        for (int i = 0; i < count; i++) {
                          pub.publish(event(TYPE_A, i));
                          published.incrementAndGet();
                          Thread.sleep(1);
                        }
                      }));
      App b =
          app()
              .registerPlugin(importer)
              .registerPlugin(
                  ScriptedPlugin.of(
                      "receiver",
                      (pub, in) -> {
                        while (true) {
                          received.add(indexOf(in.take()));
                        }
                      },
                      TYPE_A));
      CompletableFuture<Void> runA = run(a);
      CompletableFuture<Void> runB = run(b);
      await(() -> received.size() >= 300, "events before the outage");
      server.kill();
      int publishedAtKill = published.get();
      Thread.sleep(1_000);
      int publishedBeforeRestart = published.get();
      server.restart();
      assertTrue(publishedBeforeRestart > publishedAtKill, "nothing was published meanwhile");
      Supplier<String> state =
          () ->
              "; exporter "
                  + exporter.stats()
                  + ", importer "
                  + importer.stats()
                  + ", received "
                  + received.size();
      awaitWhileRunning(
          () -> exporter.stats().exported() + exporter.stats().dropped() == count,
          () -> "every exported event accounted for" + state.get(),
          runA,
          runB);
      long stored = exporter.stats().exported();
      awaitWhileRunning(
          () -> received.size() >= stored,
          () -> "every stored event imported (" + stored + ")" + state.get(),
          runA,
          runB);
      a.close();
      b.close();
      runA.get(20, TimeUnit.SECONDS);
      runB.get(20, TimeUnit.SECONDS);

      List<Integer> got = List.copyOf(received);
      for (int i = 1; i < got.size(); i++) {
        assertTrue(got.get(i) > got.get(i - 1), "out of order or repeated at " + i + ": " + got);
      }
      long missing = count - got.size();
      long dropped = exporter.stats().dropped();
      System.out.printf(
          "outage: %d published before it, %d during it; %d received, %d lost, %d counted%n",
          publishedAtKill, publishedBeforeRestart - publishedAtKill, got.size(), missing, dropped);
      assertTrue(missing <= dropped, missing + " events lost but only " + dropped + " counted");
      // Counted are the events whose acknowledgement failed: those on the wire when the server
      // died and, if the connection stalled after the restart, a window that was stored late.
      assertTrue(
          dropped <= 2L * settings(server).maxPendingAcks(),
          "more dropped than were ever in flight: " + dropped);
      assertTrue(
          got.contains(publishedBeforeRestart - 1),
          "the event published just before the restart (waiting in the bridge) never arrived");
    }
  }

  @Test
  void anUnreachableServerFailsAtConnectWithinTenSeconds() throws Exception {
    int port = NatsServer.freePort();
    long start = System.nanoTime();
    NatsException e =
        assertThrows(
            NatsException.class,
            () -> NatsBridge.connect(NatsBridgeSettings.of("nats://127.0.0.1:" + port)));
    assertEquals(NatsException.Kind.UNREACHABLE, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "took longer than 10 s");
  }

  @Test
  void badSettingsAndAForeignStreamAreClearErrors(@TempDir Path dir) throws Exception {
    assertEquals(
        NatsException.Kind.CONFIGURATION,
        assertThrows(
                NatsException.class,
                () -> NatsBridgeSettings.of("nats://x:4222").exporting(TYPE_A).importing(TYPE_AB))
            .kind());
    assertEquals(
        NatsException.Kind.CONFIGURATION,
        assertThrows(
                NatsException.class,
                () -> NatsBridgeSettings.of("nats://x:4222").exporting(EventType.named("a.b")))
            .kind());
    try (NatsServer server = NatsServer.start(dir);
        Connection nc = Nats.connect(server.url())) {
      nc.jetStreamManagement()
          .addStream(StreamConfiguration.builder().name("OTHER").subjects("other.>").build());
      NatsException e =
          assertThrows(
              NatsException.class,
              () -> NatsBridge.connect(settings(server).stream("OTHER", "herald.events")));
      assertEquals(NatsException.Kind.STREAM_MISMATCH, e.kind());
      assertTrue(e.getMessage().contains("other.>"), e.getMessage());
    }
  }

  private static NatsBridgeSettings settings(NatsServer server) {
    return NatsBridgeSettings.of(server.url())
        .timeouts(
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            Duration.ofMillis(50),
            Duration.ofSeconds(5));
  }

  private static App app() throws Exception {
    return new App(NatsServer.freePort(), NatsServer.freePort());
  }

  private static CompletableFuture<Void> run(App app) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("test-app-run")
        .start(
            () -> {
              try {
                app.run();
                done.complete(null);
              } catch (Throwable t) {
                done.completeExceptionally(t);
              }
            });
    return done;
  }

  /** Event {@code i} of a type: the filter, {@code i} as four bytes, then bytes of every value. */
  private static byte[] event(EventType type, int i) {
    ByteBuffer body = ByteBuffer.allocate(4 + i % 300);
    body.putInt(i);
    for (int b = 0; body.hasRemaining(); b++) {
      body.put((byte) (i + b));
    }
    return type.prefixed(body.array());
  }

  private static int indexOf(byte[] event) {
    return ByteBuffer.wrap(TYPE_A.body(event)).getInt();
  }

  private static ScriptedPlugin producer(String name, EventType type, int count) {
    return ScriptedPlugin.of(
        name,
        (pub, in) -> {
          for (int i = 0; i < count; i++) {
            pub.publish(event(type, i));
          }
        });
  }

  private static ScriptedPlugin receiver(
      String name, EventType type, int count, List<byte[]> into, CountDownLatch done) {
    return ScriptedPlugin.of(
        name,
        (pub, in) -> {
          for (int i = 0; i < count; i++) {
            into.add(in.take());
          }
          done.countDown();
        },
        type);
  }

  private static byte[] receive(ZMQ.Socket sub) {
    for (int i = 0; i < 100; i++) {
      byte[] frame = sub.recv();
      if (frame != null) {
        return frame;
      }
    }
    throw new AssertionError("the TCP subscriber got nothing for 10 s");
  }

  /** Like {@link #await}, but an application that ended meanwhile fails at once, with its cause. */
  private static void awaitWhileRunning(
      BooleanSupplier condition, Supplier<String> what, CompletableFuture<?>... apps)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      for (CompletableFuture<?> app : apps) {
        if (app.isDone()) {
          app.get(); // throws the application's failure
          throw new AssertionError("an application ended while waiting for: " + what.get());
        }
      }
      assertFalse(System.nanoTime() > deadline, () -> "timed out waiting for: " + what.get());
      Thread.sleep(10);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertFalse(System.nanoTime() > deadline, "timed out waiting for: " + what);
      Thread.sleep(10);
    }
  }
}
