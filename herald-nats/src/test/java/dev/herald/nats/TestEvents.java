package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.PollResult;
import dev.herald.ring.RecordError;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import dev.herald.ring.TestVlt;
import java.util.ArrayList;
import java.util.List;

/**
 * TEST_VLT events whose payload size, bytes and flow tags all depend on the event's number, so a
 * replica that swapped, lost or repeated one is caught; and the comparison of a replica with its
 * source (shared with herald-tools' command-line tests).
 */
public final class TestEvents {
  private TestEvents() {}

  /** Records event {@code n} (1-based): varied sizes, bytes and four flow tags. */
  public static void record(RingWriter writer, Reservation r, long n) {
    byte[] a = new byte[(int) (n % 61)];
    byte[] b = new byte[(int) (n % 7) * 3];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) (n + i);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (n * 31 + i);
    }
    writer.reserve(r, TestEventType.TEST_VLT.code(), TestVlt.sizeOf(a, b));
    TestVlt.write(r, a, b)
        .contentExt(0, n)
        .contentExt(1, n * 3)
        .contentExt(2, -n)
        .contentExt(3, Long.MIN_VALUE + n)
        .commit();
  }

  /** One event as a reader sees it. */
  public record Seen(int type, long recordNanos, long[] tags, byte[] payload) {}

  /** Every event a ring holds from its oldest, in order. */
  public static List<Seen> readAll(EventRing ring) {
    EventReader reader = ring.reader();
    reader.setSeqno(
        1); // a live ring's reader starts at its newest event; seekOldest never goes back
    reader.seekOldest();
    List<Seen> seen = new ArrayList<>();
    EventDescriptor d = new EventDescriptor();
    while (reader.poll(d) == PollResult.EVENT) {
      byte[] payload = ring.copyPayload(d);
      assertNotNull(payload, "payload of event " + d.seqno() + " expired");
      seen.add(
          new Seen(
              d.eventType(),
              d.recordEpochNanos(),
              new long[] {d.contentExt(0), d.contentExt(1), d.contentExt(2), d.contentExt(3)},
              payload));
    }
    return seen;
  }

  /** Asserts that the replica holds exactly the source's events, in order. */
  public static void assertSameEvents(List<Seen> source, List<Seen> replica) {
    assertEquals(source.size(), replica.size(), "event count");
    for (int i = 0; i < source.size(); i++) {
      Seen s = source.get(i);
      Seen r = replica.get(i);
      String what = "event " + (i + 1);
      assertEquals(s.type(), r.type(), what + " type");
      assertEquals(s.recordNanos(), r.recordNanos(), what + " record time");
      assertArrayEquals(s.tags(), r.tags(), what + " flow tags");
      assertArrayEquals(s.payload(), r.payload(), what + " payload");
    }
  }

  /** The MISSING_EVENT count of a replica event, or -1 if it is not such an event. */
  public static long missingCount(Seen e) {
    if (e.type() != RecordError.EVENT_TYPE) {
      return -1;
    }
    RecordError error = RecordError.read(java.lang.foreign.MemorySegment.ofArray(e.payload()));
    assertEquals(RecordError.ErrorType.MISSING_EVENT, error.errorType());
    return error.requestedPayloadSize();
  }
}
