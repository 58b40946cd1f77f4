package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying "from the start" of a ring that has wrapped many times: every event the ring still
 * holds (descriptor in its slot, payload inside the window) is delivered, in order, with no gap.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class ReplayTest {
  private static final long CAPACITY = WrappedRing.CAPACITY;
  private static final long EVENTS = WrappedRing.EVENTS;

  @TempDir Path dir;

  /** Expects every event from {@code first} on, in order, with intact payloads and no gap. */
  static final class InOrder implements RingEventHandler {
    long next;
    long delivered;
    long gaps;

    InOrder(long first) {
      this.next = first;
    }

    @Override
    public void onEvent(EventRing ring, EventDescriptor d) {
      assertEquals(next, d.seqno(), "events in order, none skipped");
      assertEquals(WrappedRing.sizeOf(d.seqno()), d.payloadSize());
      byte[] bytes = ring.copyPayload(d);
      assertTrue(bytes != null, "the payload of held event " + d.seqno() + " is valid");
      MemorySegment p = MemorySegment.ofArray(bytes);
      assertEquals(d.seqno(), p.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
      assertEquals(~d.seqno(), p.get(ValueLayout.JAVA_LONG_UNALIGNED, bytes.length - 8));
      next++;
      delivered++;
    }

    @Override
    public void onGap(long expectedSeqno, long lastSeqno) {
      gaps++;
    }
  }

  @Test
  void aSnapshotOfAWrappedRingReplaysEveryEventItHolds() {
    Path snapshot = dir.resolve("ring.zst");
    long first;
    try (RingWriter writer = WrappedRing.create(dir, "ring");
        EventRing live = EventRing.open(writer.path(), ContentType.TEST)) {
      first = WrappedRing.oldestHeld(live);
      assertTrue(first > EVENTS - CAPACITY + 1, "some held descriptors' payloads have expired");
      RingSnapshots.write(live, snapshot);
    }
    try (EventRing copy = EventRing.openSnapshot(snapshot, ContentType.TEST)) {
      assertEquals(EVENTS, copy.lastSeqno());
      assertEquals(first, WrappedRing.oldestHeld(copy), "the snapshot holds what the ring held");
      InOrder check = new InOrder(first);
      RingFollower follower = new RingFollower(copy, check);
      assertEquals(WriterState.GONE, follower.follow(Duration.ofMillis(1), () -> true));
      assertEquals(0, check.gaps, "no gap");
      assertEquals(EVENTS - first + 1, check.delivered, "every held event, oldest first");
    }
  }

  @Test
  void aLiveWrappedRingFollowedFromTheOldestDeliversEveryEventItHolds() {
    try (RingWriter writer = WrappedRing.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      long first = WrappedRing.oldestHeld(ring);
      InOrder check = new InOrder(first);
      RingFollower follower = new RingFollower(ring, FollowFrom.OLDEST, check);
      assertEquals(EVENTS - first + 1, follower.drain(Integer.MAX_VALUE));
      assertEquals(0, check.gaps);
      assertEquals(EVENTS + 1, check.next, "up to the newest event");
    }
  }

  @Test
  void aLappedFollowerFromTheOldestResumesAtTheOldestEventStillHeld() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Reservation r = writer.newReservation();
      TestRings.counter(writer, r, 0, 1);
      long[] seqnos = new long[2];
      int[] n = {0};
      RingFollower follower =
          new RingFollower(
              ring,
              FollowFrom.OLDEST,
              (source, d) -> {
                if (n[0] < 2) {
                  seqnos[n[0]] = d.seqno();
                }
                n[0]++;
              });
      assertEquals(1, follower.drain(1));
      for (long i = 2; i <= 3 * CAPACITY; i++) {
        TestRings.counter(writer, r, 0, i); // laps the follower twice
      }
      follower.drain(Integer.MAX_VALUE);
      assertEquals(1, follower.gaps());
      assertEquals(2 * CAPACITY + 1, seqnos[1], "resumed at the oldest event held, not the newest");
      assertEquals(CAPACITY + 1, follower.events(), "then everything the ring held");
    }
  }

  @Test
  void aSnapshotTakenWhileTheWriterRunsHoldsOnlyIntactEvents() throws Exception {
    Path snapshot = dir.resolve("busy.zst");
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing live = EventRing.open(writer.path(), ContentType.TEST)) {
      java.util.concurrent.atomic.AtomicBoolean running =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread producer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    Reservation r = writer.newReservation();
                    for (long n = 1; running.get(); n++) {
                      long size = WrappedRing.sizeOf(n);
                      writer.reserve(r, TestEventType.TEST_VLT.code(), size);
                      r.putLong(0, n).putLong(size - 8, ~n).commit();
                      if (n > 2 * CAPACITY && n % 8 == 0) {
                        // About 16 MiB/s once wrapped: the window moves now and then during the
                        // copy, and the copy is made consistent with it.
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                      }
                    }
                  });
      try {
        while (live.lastSeqno() < 2 * CAPACITY) {
          Thread.sleep(10); // wrapped at least once before the snapshot
        }
        RingSnapshots.write(live, snapshot);
      } finally {
        running.set(false);
        producer.join();
      }
    }
    try (EventRing copy = EventRing.openSnapshot(snapshot, ContentType.TEST)) {
      long[] previous = {0};
      long[] intact = {0};
      RingFollower follower =
          new RingFollower(
              copy,
              (source, d) -> {
                assertTrue(d.seqno() > previous[0], "in order");
                previous[0] = d.seqno();
                byte[] bytes = source.copyPayload(d);
                if (bytes != null) {
                  MemorySegment p = MemorySegment.ofArray(bytes);
                  assertEquals(d.seqno(), p.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), "not torn");
                  assertEquals(
                      ~d.seqno(), p.get(ValueLayout.JAVA_LONG_UNALIGNED, bytes.length - 8));
                  intact[0]++;
                }
              });
      assertEquals(WriterState.GONE, follower.follow(Duration.ofMillis(1), () -> true));
      assertEquals(copy.lastSeqno(), previous[0], "replayed to the snapshot's last event");
      assertTrue(intact[0] > 0);
    }
  }
}
