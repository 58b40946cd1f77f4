package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.reactor.EventManager;
import dev.herald.reactor.EventSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Following without spinning: a timerfd cadence on a plain thread, and a reactor loop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class FollowerTest {
  private static final int EVENTS = 50_000;

  @TempDir Path dir;

  /** Checks order and content; counts what it saw. */
  private static final class Checker implements RingEventHandler {
    long expected = 1;
    long seen;
    long gaps;

    @Override
    public void onEvent(EventRing ring, EventDescriptor d) {
      if (expected != -1) {
        assertEquals(expected, d.seqno());
      }
      expected = d.seqno();
      TestCounter c = TestCounter.read(ring.payload(d));
      if (ring.payloadValid(d)) {
        assertEquals(d.seqno(), c.counter());
      }
      expected++;
      seen++;
    }

    @Override
    public void onGap(long expectedSeqno, long lastSeqno) {
      assertEquals(expected, expectedSeqno);
      assertTrue(lastSeqno >= expectedSeqno);
      gaps++;
      expected = -1; // the next event is wherever reset lands
    }
  }

  private static void writeThenClose(RingWriter writer) {
    Reservation r = writer.newReservation();
    for (long n = 1; n <= EVENTS; n++) {
      TestRings.counter(writer, r, 0, n);
      if (n % 5000 == 0) {
        try {
          Thread.sleep(2); // let the follower go idle now and then
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    writer.close();
  }

  @Test
  void aTimerFdFollowerReadsEverythingAndStopsWhenTheWriterLeaves() throws Exception {
    RingWriter writer = TestRings.create(dir, "ring");
    try (EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Checker checker = new Checker();
      RingFollower follower = new RingFollower(ring, checker);
      FutureTask<WriterState> following =
          new FutureTask<>(() -> follower.follow(Duration.ofMillis(1), () -> true));
      Thread.ofPlatform().start(following);
      writeThenClose(writer);
      assertEquals(WriterState.GONE, following.get());
      assertEquals(0, checker.gaps, "a 65,536-slot ring is not lapped by 50,000 events");
      assertEquals(EVENTS, checker.seen);
      assertEquals(EVENTS, follower.events());
    }
  }

  @Test
  void aReactorLoopDrivesTheFollowerOnATimer() throws Exception {
    RingWriter writer = TestRings.create(dir, "ring");
    try (EventRing ring = EventRing.open(writer.path(), ContentType.TEST);
        EventManager<EventSubscriber> loop = new EventManager<>();
        RingSubscriber sub =
            new RingSubscriber(new RingFollower(ring, new Checker()), Duration.ofMillis(1), 1000)) {
      loop.addSubscriber(sub);
      Thread producer = Thread.ofPlatform().start(() -> writeThenClose(writer));
      while (sub.writerState() == WriterState.ALIVE) {
        loop.runWithTimeout(100);
      }
      producer.join();
      assertEquals(WriterState.GONE, sub.writerState());
      assertEquals(EVENTS, sub.follower().events());
      assertEquals(0, sub.follower().gaps());
    }
  }

  @Test
  void aFollowerLappedByTheWriterReportsTheGapAndCatchesUp() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Checker checker = new Checker();
      RingFollower follower = new RingFollower(ring, checker);
      Reservation r = writer.newReservation();
      long capacity = TestRings.SMALLEST.descriptorCapacity();
      for (long n = 1; n <= 2 * capacity; n++) {
        TestRings.counter(writer, r, 0, n);
      }
      checker.expected = 1;
      long before = checker.seen;
      follower.drain(10);
      assertEquals(1, checker.gaps);
      assertEquals(1, follower.gaps());
      assertEquals(before + 1, checker.seen, "resumed at the newest event");
      assertEquals(2 * capacity, follower.reader().readLastSeqno());
    }
  }

  @Test
  void aSnapshotIsFollowedToItsEnd() {
    try (EventRing ring = EventRing.openSnapshot(UpstreamData.emn1b(), ContentType.EXEC)) {
      long[] count = new long[1];
      RingFollower follower = new RingFollower(ring, (r, d) -> count[0]++);
      assertEquals(WriterState.GONE, follower.follow(Duration.ofMillis(1), () -> true));
      assertEquals(6_597, count[0]);
    }
  }
}
