package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRoundTripTest {
  @TempDir Path dir;

  @Test
  void aSnapshotOfALiveRingReadsBackEveryEvent() {
    Path snapshot = dir.resolve("ring.snapshot.zst");
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing live = EventRing.open(writer.path(), ContentType.TEST)) {
      Reservation r = writer.newReservation();
      for (int i = 1; i <= 5000; i++) {
        if (i % 10 == 0) {
          writer.reserve(r, TestEventType.TEST_VLT.code(), 4 + i % 97).putInt(0, i).commit();
        } else {
          TestRings.counter(writer, r, 2, i);
        }
      }
      RingSnapshots.write(live, snapshot);
      assertTrue(RingSnapshots.isSnapshot(snapshot));
      try (EventRing copy = EventRing.openSnapshot(snapshot, ContentType.TEST)) {
        assertTrue(copy.isSnapshot());
        assertEquals(live.header(), copy.header());
        assertEquals(5000, copy.lastSeqno());
        EventReader reader = copy.reader();
        EventDescriptor a = new EventDescriptor();
        EventDescriptor b = new EventDescriptor();
        int n = 0;
        while (reader.poll(b) == PollResult.EVENT) {
          n++;
          assertTrue(live.tryCopy(b.seqno(), a));
          assertEquals(a.toString(), b.toString());
          assertArrayEquals(live.copyPayload(a), copy.copyPayload(b));
        }
        assertEquals(5000, n, "a snapshot is replayed from seqno 1 to the end");
      }
    }
    assertTrue(Files.exists(snapshot));
  }
}
