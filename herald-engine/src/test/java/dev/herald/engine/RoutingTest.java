package dev.herald.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routing between internal plugins: prefix filters, bytes, order, backpressure, drops, barrier. */
@Timeout(60)
class RoutingTest {
  private static final EventType TYPE_A = EventType.named("TypeA");
  private static final EventType TYPE_B = EventType.named("TypeB");
  private static final EventType ALL = EventType.named("");

  private static App app() {
    return new App(FreePorts.next(), FreePorts.next());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static List<String> texts(List<byte[]> events) {
    return events.stream().map(e -> new String(e, UTF_8)).toList();
  }

  @Test
  void prefixFiltersDeliverByLeadingBytesOnlyAndEmptyFilterGetsEverything() {
    List<String> published = List.of("TypeA1", "TypeAB2", "TypeB3", "X4", "Type5");
    CountDownLatch allPublished = new CountDownLatch(1);
    List<byte[]> gotA = new ArrayList<>();
    List<byte[]> gotAll = new ArrayList<>();
    List<byte[]> gotOwn = new ArrayList<>();
    byte[][] gotNone = new byte[1][];
    app()
        .registerPlugin(
            TestPlugin.of(
                "producer",
                (pub, in) -> {
                  for (String event : published) {
                    pub.publish(bytes(event));
                  }
                  allPublished.countDown();
                  for (int i = 0; i < published.size(); i++) {
                    gotOwn.add(in.take()); // "" includes the plugin's own publications
                  }
                },
                ALL))
        .registerPlugin(
            TestPlugin.of(
                "a",
                (pub, in) -> {
                  gotA.add(in.take());
                  gotA.add(in.take());
                  allPublished.await();
                  assertNull(in.poll(), "TypeA subscriber got a non-TypeA event");
                },
                TYPE_A))
        .registerPlugin(
            TestPlugin.of(
                "all",
                (pub, in) -> {
                  for (int i = 0; i < published.size(); i++) {
                    gotAll.add(in.take());
                  }
                },
                ALL))
        .registerPlugin(
            TestPlugin.of(
                "none",
                (pub, in) -> {
                  allPublished.await();
                  gotNone[0] = in.poll();
                }))
        .run();
    assertEquals(List.of("TypeA1", "TypeAB2"), texts(gotA));
    assertEquals(published, texts(gotAll));
    assertEquals(published, texts(gotOwn));
    assertNull(gotNone[0], "a plugin without subscriptions receives nothing");
  }

  @Test
  void binaryAndOneMebibytePayloadsArriveByteForByte() {
    Random random = new Random(42);
    byte[] binary = TYPE_A.prefixed(new byte[256]);
    for (int i = 0; i < 256; i++) {
      binary[TYPE_A.filter().length + i] = (byte) i;
    }
    byte[] big = new byte[1 << 20];
    random.nextBytes(big);
    byte[] mib = TYPE_A.prefixed(big);
    byte[] onlyPrefix = TYPE_A.filter();
    List<byte[]> got = new ArrayList<>();
    app()
        .registerPlugin(
            TestPlugin.of(
                "sender",
                (pub, in) -> {
                  pub.publish(binary);
                  pub.publish(mib);
                  pub.publish(onlyPrefix);
                }))
        .registerPlugin(
            TestPlugin.of(
                "receiver",
                (pub, in) -> {
                  for (int i = 0; i < 3; i++) {
                    got.add(in.take());
                  }
                },
                TYPE_A))
        .run();
    assertArrayEquals(binary, got.get(0));
    assertArrayEquals(mib, got.get(1));
    assertArrayEquals(onlyPrefix, got.get(2));
  }

  @Test
  void backpressureLosesNothingAndKeepsEachPublishersOrder() {
    int perProducer = 100_000;
    long[] next = new long[2];
    App app = app().queueCapacity(64);
    for (int p = 0; p < 2; p++) {
      int producer = p;
      app.registerPlugin(
          TestPlugin.of(
              "producer-" + p,
              (pub, in) -> {
                for (int i = 0; i < perProducer; i++) {
                  pub.publish(bytes("TypeA" + producer + ":" + i));
                }
              }));
    }
    app.registerPlugin(
        TestPlugin.of(
            "consumer",
            (pub, in) -> {
              for (int i = 0; i < 2 * perProducer; i++) {
                String[] parts = new String(in.take(), UTF_8).substring(5).split(":");
                int producer = Integer.parseInt(parts[0]);
                assertEquals(next[producer], Long.parseLong(parts[1]), "order of " + producer);
                next[producer]++;
              }
            },
            TYPE_A));
    app.run();
    assertEquals(perProducer, next[0]);
    assertEquals(perProducer, next[1]);
    assertEquals(0, app.droppedEvents());
  }

  @Test
  void dropNewestKeepsTheOldestEventsAndCountsTheRest() {
    CountDownLatch published = new CountDownLatch(1);
    List<String> got = new ArrayList<>();
    App app = app().queueCapacity(100).overflow(Overflow.DROP_NEWEST);
    app.registerPlugin(
            TestPlugin.of(
                "producer",
                (pub, in) -> {
                  for (int i = 0; i < 1000; i++) {
                    pub.publish(bytes("TypeA" + i));
                  }
                  published.countDown();
                }))
        .registerPlugin(
            TestPlugin.of(
                "late",
                (pub, in) -> {
                  published.await();
                  assertEquals(900, in.dropped());
                  byte[] event;
                  while ((event = in.poll()) != null) {
                    got.add(new String(event, UTF_8));
                  }
                },
                TYPE_A));
    app.run();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("TypeA" + i);
    }
    assertEquals(expected, got);
    QueueStats late = app.queueStats().get(1);
    assertEquals("late", late.plugin());
    assertEquals(900, late.dropped());
    assertEquals(100, late.accepted());
    assertEquals(900, app.droppedEvents());
  }

  @Test
  void aPluginOverflowingItsOwnQueueDropsInsteadOfWaitingForItself() {
    App app = app().queueCapacity(10);
    List<String> got = new ArrayList<>();
    app.registerPlugin(
        TestPlugin.of(
            "narcissus",
            (pub, in) -> {
              for (int i = 0; i < 25; i++) {
                pub.publish(bytes("TypeA" + i));
              }
              byte[] event;
              while ((event = in.poll()) != null) {
                got.add(new String(event, UTF_8));
              }
            },
            ALL));
    app.run();
    assertEquals(10, got.size());
    assertEquals("TypeA9", got.getLast());
    assertEquals(15, app.droppedEvents());
  }

  @Test
  void multiFrameEventsMatchOnTheFirstFrameAndArriveWhole() {
    List<List<byte[]>> messages = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    app()
        .registerPlugin(
            TestPlugin.of(
                "sender",
                (pub, in) -> {
                  pub.publishMultipart(bytes("TypeA"), bytes("frame2"), new byte[0]);
                  pub.publishMultipart(bytes("TypeB"), bytes("not for a"));
                  pub.publish(bytes("TypeAsingle"));
                  pub.publishMultipart(bytes("TypeAx"), bytes("y"));
                }))
        .registerPlugin(
            TestPlugin.of(
                "a",
                (pub, in) -> {
                  messages.add(in.takeMessage());
                  messages.add(in.takeMessage());
                  byte[] first = in.take();
                  more.add(in.hasMore());
                  byte[] second = in.take();
                  more.add(in.hasMore());
                  messages.add(List.of(first, second));
                },
                TYPE_A))
        .run();
    assertEquals(List.of("TypeA", "frame2", ""), texts(messages.get(0)));
    assertEquals(List.of("TypeAsingle"), texts(messages.get(1)));
    assertEquals(List.of("TypeAx", "y"), texts(messages.get(2)));
    assertEquals(List.of(true, false), more);
  }

  @Test
  void noPluginStartsBeforeEverySubscriptionIsInPlace() {
    // The producer publishes the moment it starts; the consumer's subscriptions() is slow. With the
    // barrier the consumer still receives every event, including the very first.
    List<String> got = new ArrayList<>();
    Plugin slow =
        new Plugin() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public List<EventType> subscriptions() {
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            return List.of(TYPE_B);
          }

          @Override
          public void start(Publisher publisher, Inbox inbox) {
            for (int i = 0; i < 3; i++) {
              got.add(new String(inbox.take(), UTF_8));
            }
          }
        };
    app()
        .registerPlugin(
            TestPlugin.of(
                "eager",
                (pub, in) -> {
                  for (int i = 0; i < 3; i++) {
                    pub.publish(bytes("TypeB" + i));
                  }
                }))
        .registerPlugin(slow)
        .run();
    assertEquals(List.of("TypeB0", "TypeB1", "TypeB2"), got);
  }

  @Test
  void typedCodecsCarryRecordsOverTheApplicationsWireFormat() {
    record Reading(String sensor, int value) {}
    EventCodec<Reading> readings =
        EventCodec.of(
            EventType.named("Reading"),
            r -> bytes(r.sensor() + "=" + r.value()),
            body -> {
              String[] kv = new String(body, UTF_8).split("=");
              return new Reading(kv[0], Integer.parseInt(kv[1]));
            });
    List<Reading> got = new ArrayList<>();
    List<byte[]> wire = new ArrayList<>();
    app()
        .registerPlugin(
            TestPlugin.of("sensor", (pub, in) -> pub.publish(readings, new Reading("t1", 21))))
        .registerPlugin(
            TestPlugin.of(
                "display",
                (pub, in) -> {
                  byte[] event = in.take();
                  wire.add(event);
                  assertTrue(readings.matches(event));
                  assertFalse(EventCodec.utf8(TYPE_A).matches(event));
                  got.add(readings.decode(event));
                },
                readings.type()))
        .run();
    assertEquals(List.of(new Reading("t1", 21)), got);
    assertEquals("Readingt1=21", new String(wire.getFirst(), UTF_8));
  }
}
