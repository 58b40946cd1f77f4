package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writer threads share one writer, as upstream's 4-writer + 1-reader test does. */
class MultiWriterTest {
  private static final int WRITERS = 4;
  private static final long PER_WRITER = 250_000;

  @TempDir Path dir;

  @Test
  void fourWriterThreadsAndAVerifyingReader() throws Exception {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      CountDownLatch start = new CountDownLatch(1);
      long total = WRITERS * PER_WRITER;
      FutureTask<long[]> reading =
          new FutureTask<>(
              () -> {
                EventReader reader = ring.reader();
                EventDescriptor d = new EventDescriptor();
                long[] lastCounter = new long[WRITERS];
                long[] stats = new long[2]; // events verified, gaps
                start.await();
                while (reader.readLastSeqno() < total) {
                  switch (reader.poll(d)) {
                    case EVENT -> {
                      TestCounter c = TestCounter.read(ring.payload(d));
                      if (ring.payloadValid(d)) {
                        // Each thread reserves in order, so its counters rise with seqno.
                        assertTrue(
                            c.counter() > lastCounter[c.writerId()],
                            "writer " + c.writerId() + " went back to " + c.counter());
                        lastCounter[c.writerId()] = c.counter();
                        stats[0]++;
                      }
                    }
                    case NOT_READY -> Thread.onSpinWait();
                    case GAP -> {
                      stats[1]++;
                      reader.reset();
                    }
                  }
                }
                return stats;
              });
      Thread.ofPlatform().start(reading);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      Reservation r = writer.newReservation();
                      try {
                        start.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      for (long n = 1; n <= PER_WRITER; n++) {
                        TestRings.counter(writer, r, id, n);
                      }
                    }));
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      long[] stats = reading.get();
      assertTrue(stats[0] > 0, "the reader verified events while four threads wrote");
      assertEquals(total, ring.lastSeqno());
      assertEquals(total * 16, ring.nextPayloadByte(), "every allocation was exactly 16 bytes");

      // Everything the ring still holds: all published, payloads distinct and ordered per writer.
      EventDescriptor d = new EventDescriptor();
      long capacity = TestRings.SMALLEST.descriptorCapacity();
      long[] last = new long[WRITERS];
      java.util.Set<Long> offsets = new java.util.HashSet<>();
      int late = 0;
      for (long seqno = total - capacity + 1; seqno <= total; seqno++) {
        if (!ring.tryCopy(seqno, d)) {
          // The format allows one thing here: a writer descheduled between its reservation and
          // its commit for a whole lap of the descriptor array stores its older event over the
          // newer one in the same slot, as the C writer would. Anything else is a lost commit.
          boolean lapped = false;
          for (long older = seqno - capacity; older > 0 && !lapped; older -= capacity) {
            lapped = ring.tryCopy(older, d);
          }
          assertTrue(lapped, "event " + seqno + " was committed");
          late++;
          continue;
        }
        TestCounter c = TestCounter.read(ring.payload(d));
        assertTrue(c.counter() > last[c.writerId()]);
        last[c.writerId()] = c.counter();
        assertTrue(offsets.add(d.payloadBufOffset()), "payload offsets are never shared");
      }
      int present = 0;
      for (int w = 0; w < WRITERS; w++) {
        // A writer that finished long ago has nothing left in the ring; one that has, has its last.
        assertTrue(
            late > 0 || last[w] == 0 || last[w] == PER_WRITER,
            "writer " + w + " ends at " + last[w]);
        present += last[w] == PER_WRITER ? 1 : 0;
      }
      assertTrue(present > 0);
      assertTrue(late < capacity / 2, late + " slots hold a lapped writer's late event");
    }
  }
}
