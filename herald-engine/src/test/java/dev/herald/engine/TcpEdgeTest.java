package dev.herald.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** Raw JeroMQ PUB and SUB clients on the two TCP ports see upstream's traffic. */
@Timeout(60)
class TcpEdgeTest {
  private static final EventType TYPE_A = EventType.named("TypeA");
  private static final byte[] PROBE = "Probe".getBytes(UTF_8);

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  /** Receives one message with all its frames. */
  private static List<byte[]> receive(ZMQ.Socket socket) {
    List<byte[]> frames = new ArrayList<>();
    frames.add(socket.recv(0));
    while (socket.hasReceiveMore()) {
      frames.add(socket.recv(0));
    }
    return frames;
  }

  /** Receives until a message that is not a probe. */
  private static List<byte[]> receiveSkippingProbes(ZMQ.Socket socket) {
    while (true) {
      List<byte[]> message = receive(socket);
      if (!EventType.startsWith(message.getFirst(), PROBE)) {
        return message;
      }
    }
  }

  @Test
  void rawSubscriberGetsSingleFrameEventsFilteredByItsOwnPrefixes() throws Throwable {
    int publishPort = FreePorts.next();
    int subscribePort = FreePorts.next();
    CountDownLatch subscriberReady = new CountDownLatch(1);
    AtomicBoolean probing = new AtomicBoolean(true);
    App app =
        new App(publishPort, subscribePort)
            .registerPlugin(
                TestPlugin.of(
                    "publisher",
                    (pub, in) -> {
                      // Slow joiner: probe until the raw subscriber's filter has reached us.
                      while (probing.get()) {
                        pub.publish(PROBE);
                        Thread.sleep(5);
                      }
                      pub.publish(bytes("TypeA1"));
                      pub.publish(bytes("TypeB2"));
                      pub.publish(bytes("TypeAB3"));
                      pub.publishMultipart(bytes("TypeA"), bytes("frame2"));
                      pub.publish(bytes("TypeAEnd"));
                      subscriberReady.await();
                    }));
    RunningApp running = RunningApp.start(app);
    try (ZMQ.Context context = ZMQ.context(1);
        ZMQ.Socket sub = context.socket(SocketType.SUB)) {
      sub.subscribe(PROBE);
      sub.subscribe(TYPE_A.filter());
      sub.connect("tcp://127.0.0.1:" + subscribePort);
      assertArrayEquals(PROBE, sub.recv(0));
      probing.set(false);
      List<String> got = new ArrayList<>();
      while (true) {
        List<byte[]> message = receiveSkippingProbes(sub);
        got.add(String.join("|", message.stream().map(f -> new String(f, UTF_8)).toList()));
        if (got.getLast().equals("TypeAEnd")) {
          break;
        }
      }
      assertEquals(List.of("TypeA1", "TypeAB3", "TypeA|frame2", "TypeAEnd"), got);
      subscriberReady.countDown();
    }
    running.await();
  }

  @Test
  void rawPublisherReachesPluginsAndRawSubscribersByteForByte() throws Throwable {
    int publishPort = FreePorts.next();
    int subscribePort = FreePorts.next();
    byte[] big = new byte[1 << 20];
    new Random(7).nextBytes(big);
    byte[] mib = TYPE_A.prefixed(big);
    byte[] binary = {'T', 'y', 'p', 'e', 'A', 0, (byte) 0xff, 0, (byte) 0x80};
    CountDownLatch pluginSawProbe = new CountDownLatch(1);
    CountDownLatch subscriberDone = new CountDownLatch(1);
    List<List<byte[]>> pluginGot = new ArrayList<>();
    App app =
        new App(publishPort, subscribePort)
            .registerPlugin(
                TestPlugin.of(
                    "listener",
                    (pub, in) -> {
                      while (!EventType.startsWith(in.take(), PROBE)) {
                        // wait for the publisher's connection to carry events
                      }
                      pluginSawProbe.countDown();
                      while (true) {
                        List<byte[]> message = in.takeMessage();
                        if (EventType.startsWith(message.getFirst(), PROBE)) {
                          continue;
                        }
                        pluginGot.add(message);
                        if (pluginGot.size() == 3) {
                          // The application ends with its plugins: let the raw subscriber finish.
                          subscriberDone.await();
                          return;
                        }
                      }
                    },
                    TYPE_A,
                    EventType.of("probe", PROBE)));
    RunningApp running = RunningApp.start(app);
    try (ZMQ.Context context = ZMQ.context(1);
        ZMQ.Socket pub = context.socket(SocketType.PUB);
        ZMQ.Socket sub = context.socket(SocketType.SUB)) {
      sub.subscribe(bytes("TypeA"));
      sub.subscribe(PROBE);
      sub.connect("tcp://127.0.0.1:" + subscribePort);
      pub.connect("tcp://127.0.0.1:" + publishPort);
      // Slow joiner in both directions: probe until the plugin and the raw subscriber see one.
      while (pluginSawProbe.getCount() > 0 || sub.recv(ZMQ.DONTWAIT) == null) {
        pub.send(PROBE, 0);
        Thread.sleep(5);
      }
      pluginSawProbe.await();
      pub.send(bytes("TypeBignored"), 0);
      pub.send(binary, 0);
      pub.send(mib, 0);
      pub.send(bytes("TypeA"), ZMQ.SNDMORE);
      pub.send(bytes("second"), 0);
      assertArrayEquals(binary, receiveSkippingProbes(sub).getFirst());
      assertArrayEquals(mib, receiveSkippingProbes(sub).getFirst());
      List<byte[]> multipart = receiveSkippingProbes(sub);
      assertEquals(2, multipart.size());
      assertArrayEquals(bytes("second"), multipart.get(1));
      subscriberDone.countDown();
      running.await();
    }
    assertEquals(1, pluginGot.get(0).size());
    assertArrayEquals(binary, pluginGot.get(0).getFirst());
    assertArrayEquals(mib, pluginGot.get(1).getFirst());
    assertEquals(2, pluginGot.get(2).size());
    assertArrayEquals(bytes("TypeA"), pluginGot.get(2).get(0));
    assertArrayEquals(bytes("second"), pluginGot.get(2).get(1));
    assertFalse(
        pluginGot.stream().anyMatch(m -> new String(m.getFirst(), UTF_8).startsWith("TypeB")));
    assertTrue(app.queueStats().getFirst().accepted() >= 4);
  }
}
