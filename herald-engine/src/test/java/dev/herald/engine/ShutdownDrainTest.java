package dev.herald.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Every event a plugin published before the application ended reaches a raw TCP subscriber, in
 * order: shutdown drains what was routed to the subscribe port before the port closes.
 */
@Timeout(60)
class ShutdownDrainTest {
  private static final byte[] PROBE = "Probe".getBytes(UTF_8);
  private static final EventType BURST = EventType.named("Burst");

  /** How long the subscriber waits for one more event before it counts the rest as lost. */
  private static final int RECEIVE_TIMEOUT_MS = 5_000;

  /**
   * A plugin that publishes probes until {@code subscribed} opens: the readiness handshake that
   * tells it the raw subscriber's filters have reached the engine (the slow-joiner rule).
   */
  private static void probeUntil(Publisher pub, CountDownLatch subscribed)
      throws InterruptedException {
    do {
      pub.publish(PROBE);
    } while (!subscribed.await(5, MILLISECONDS));
  }

  /** A raw SUB on the subscribe port, filtering bursts and probes. */
  private static ZMQ.Socket subscriber(ZMQ.Context context, int subscribePort) {
    ZMQ.Socket sub = context.socket(SocketType.SUB);
    // Burst first: once the engine has the probe filter it has the burst filter as well.
    sub.subscribe(BURST.filter());
    sub.subscribe(PROBE);
    sub.setReceiveTimeOut(RECEIVE_TIMEOUT_MS);
    sub.connect("tcp://127.0.0.1:" + subscribePort);
    return sub;
  }

  /** Waits for the first probe, then lets the plugin go. */
  private static void handshake(ZMQ.Socket sub, CountDownLatch subscribed) {
    byte[] first = sub.recv(0);
    assertArrayEquals(PROBE, first, "the engine never reached the raw subscriber");
    subscribed.countDown();
  }

  /** Receives burst events (skipping late probes) until {@code count} or a receive timeout. */
  private static List<Integer> receiveBurst(ZMQ.Socket sub, int count) {
    List<Integer> got = new ArrayList<>(count);
    int prefix = BURST.filter().length;
    while (got.size() < count) {
      byte[] event = sub.recv(0);
      if (event == null) {
        break; // nothing more came within the timeout: the rest was lost
      }
      if (!EventType.startsWith(event, PROBE)) {
        got.add(Integer.parseInt(new String(event, prefix, event.length - prefix, UTF_8)));
      }
    }
    return got;
  }

  private static byte[] burst(int i) {
    return BURST.prefixed(Integer.toString(i).getBytes(UTF_8));
  }

  /** Asserts that {@code got} is 0..count-1, describing a loss briefly (not 10,000 numbers). */
  private static void assertAllInOrder(int count, List<Integer> got) {
    int firstMissing = 0;
    while (firstMissing < got.size() && got.get(firstMissing) == firstMissing) {
      firstMissing++;
    }
    assertEquals(
        count,
        firstMissing,
        "received "
            + got.size()
            + " of "
            + count
            + " events; in order up to "
            + firstMissing
            + (got.isEmpty() ? "" : ", last received " + got.getLast()));
    assertEquals(IntStream.range(0, count).boxed().toList(), got);
  }

  @ParameterizedTest
  @ValueSource(ints = {1_000, 10_000})
  void anInternalPluginThatPublishesABurstAndReturnsHasEveryEventSent(int count) throws Throwable {
    int subscribePort = FreePorts.next();
    CountDownLatch subscribed = new CountDownLatch(1);
    App app =
        new App(FreePorts.next(), subscribePort)
            .registerPlugin(
                TestPlugin.of(
                    "burst",
                    (pub, in) -> {
                      probeUntil(pub, subscribed);
                      for (int i = 0; i < count; i++) {
                        pub.publish(burst(i));
                      }
                      // Returning ends the application at once: the engine shuts down now.
                    }));
    try (ZMQ.Context context = ZMQ.context(1);
        ZMQ.Socket sub = subscriber(context, subscribePort)) {
      RunningApp running = RunningApp.start(app);
      handshake(sub, subscribed);
      List<Integer> got = receiveBurst(sub, count);
      running.await();
      assertAllInOrder(count, got);
    }
  }

  private static final String PUBLISH_BURST_AND_QUIT =
      """
      import sys, zmq
      from events import get_plugin_socket, publish_msg, send_quit_command
      socket = get_plugin_socket(zmq.Context(), int(sys.argv[1]), "127.0.0.1")
      sys.stdin.readline()
      for i in range(int(sys.argv[2])):
          publish_msg(socket, b"Burst%d" % i)
      send_quit_command(socket)
      socket.close(linger=1000)
      """;

  @Test
  void anExternalPluginThatPublishesABurstAndQuitsHasEveryEventSent() throws Throwable {
    int count = 1_000;
    int port = FreePorts.next();
    int subscribePort = FreePorts.next();
    CountDownLatch subscribed = new CountDownLatch(1);
    App app =
        new App(FreePorts.next(), subscribePort)
            .registerPlugin(TestPlugin.of("handshake", (pub, in) -> probeUntil(pub, subscribed)))
            .registerExternalPlugin(ExternalPlugin.of("py", port));
    try (PythonPlugin python = PythonPlugin.start(PUBLISH_BURST_AND_QUIT, port, count);
        ZMQ.Context context = ZMQ.context(1);
        ZMQ.Socket sub = subscriber(context, subscribePort)) {
      RunningApp running = RunningApp.start(app);
      handshake(sub, subscribed);
      python.send("go");
      List<Integer> got = receiveBurst(sub, count);
      assertEquals(0, python.exitCode(), String.join("\n", python.output()));
      running.await();
      assertAllInOrder(count, got);
    }
  }

  @Test
  void aSubscriberThatStopsReadingHoldsShutdownOnlyForTheLinger() throws Throwable {
    int subscribePort = FreePorts.next();
    CountDownLatch subscribed = new CountDownLatch(1);
    byte[] big = BURST.prefixed(new byte[64 << 10]);
    App app =
        new App(FreePorts.next(), subscribePort)
            .subscriberLinger(Duration.ofMillis(200))
            .registerPlugin(
                TestPlugin.of(
                    "flood",
                    (pub, in) -> {
                      probeUntil(pub, subscribed);
                      // 128 MiB: far more than the socket buffers of a peer that does not read.
                      for (int i = 0; i < 2_000; i++) {
                        pub.publish(big);
                      }
                    }));
    try (ZMQ.Context context = ZMQ.context(1);
        ZMQ.Socket sub = subscriber(context, subscribePort)) {
      sub.setRcvHWM(1);
      RunningApp running = RunningApp.start(app);
      handshake(sub, subscribed);
      // The subscriber reads nothing more; run() still returns (the class timeout bounds it).
      running.await();
    }
  }

  @Test
  void aNegativeOrUnboundedLingerIsRejected() {
    App app = new App(FreePorts.next(), FreePorts.next());
    for (Duration bad : List.of(Duration.ofMillis(-1), Duration.ofDays(30))) {
      EngineException e = assertThrows(EngineException.class, () -> app.subscriberLinger(bad));
      assertEquals(EngineException.Kind.CONFIGURATION, e.kind());
    }
  }
}
