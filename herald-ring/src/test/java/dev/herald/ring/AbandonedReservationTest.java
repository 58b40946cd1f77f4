package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reservation that is never committed must not leave a hole that stops every reader. */
class AbandonedReservationTest {
  @TempDir Path dir;

  @Test
  void aReservationLeftOpenIsClosedAsARecordErrorByTheNextReserve() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      EventReader reader = ring.reader();
      Reservation r = writer.newReservation();
      TestRings.counter(writer, r, 1, 1);
      writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE).putByte(0, (byte) 1);
      // The fill failed half-way here (say, an exception the caller caught); the thread goes on.
      TestRings.counter(writer, r, 1, 3);
      EventDescriptor d = new EventDescriptor();
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(1, d.seqno());
      assertEquals(PollResult.EVENT, reader.poll(d), "seqno 2 must not hold the reader back");
      assertEquals(2, d.seqno());
      assertEquals(RecordError.EVENT_TYPE, d.eventType());
      assertEquals(
          new RecordError(
              RecordError.ErrorType.MISSING_EVENT,
              TestEventType.TEST_COUNTER.code(),
              0,
              TestCounter.SIZE),
          RecordError.read(ring.payload(d)));
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(3, d.seqno());
      assertEquals(3, TestCounter.read(ring.payload(d)).counter());
    }
  }

  /** Records what a follower hands over: seqno, type and, for RECORD_ERRORs, the error. */
  private static final class Seen implements RingEventHandler {
    final List<Long> seqnos = new ArrayList<>();
    final List<Integer> types = new ArrayList<>();
    final List<RecordError> errors = new ArrayList<>();

    @Override
    public void onEvent(EventRing ring, EventDescriptor d) {
      seqnos.add(d.seqno());
      types.add(d.eventType());
      if (d.eventType() == RecordError.EVENT_TYPE) {
        errors.add(d.payloadSize() == 0 ? null : RecordError.read(ring.payload(d)));
      }
    }
  }

  @Test
  void aFillerThatThrowsPublishesARecordErrorAndALiveReaderMovesOn() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Seen seen = new Seen();
      RingFollower follower = new RingFollower(ring, seen);
      Reservation r = writer.newReservation();
      assertEquals(1, TestRings.counter(writer, r, 1, 1));
      follower.drain(100);
      IllegalStateException boom = new IllegalStateException("the payload source failed");
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class,
              () ->
                  writer.record(
                      r,
                      TestEventType.TEST_VLT.code(),
                      40,
                      p -> {
                        p.putInt(0, 7).contentExt(1, 5);
                        throw boom;
                      }));
      assertSame(boom, thrown, "the filler's exception reaches the caller");
      assertFalse(r.isOpen(), "the failed event was published");
      assertEquals(
          3,
          writer.record(
              r,
              TestEventType.TEST_COUNTER.code(),
              TestCounter.SIZE,
              p -> p.putByte(TestCounter.WRITER_ID, (byte) 1).putLong(TestCounter.COUNTER, 3)));
      TestRings.counter(writer, r, 1, 4);
      assertEquals(3, follower.drain(100), "the live reader went past the failed event's slot");
      assertEquals(List.of(1L, 2L, 3L, 4L), seen.seqnos);
      assertEquals(RecordError.EVENT_TYPE, seen.types.get(1));
      assertEquals(
          new RecordError(
              RecordError.ErrorType.MISSING_EVENT, TestEventType.TEST_VLT.code(), 0, 40),
          seen.errors.getFirst());
      EventDescriptor d = new EventDescriptor();
      assertTrue(ring.tryCopy(2, d));
      assertEquals(RecordError.SIZE, d.payloadSize());
      assertEquals(5, d.contentExt(1), "flow tags set before the failure stay");
      assertEquals(0, follower.gaps());
    }
  }

  @Test
  void abortingZeroByteAndTruncatedEventsKeepsTheirSlotsReadable() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Seen seen = new Seen();
      RingFollower follower = new RingFollower(ring, seen);
      Reservation r = writer.newReservation();
      writer.reserve(r, TestEventType.TEST_VLT.code(), 0).abort();
      long tooBig = (1L << 27) - 2 * (1L << 24);
      writer.reserve(r, TestEventType.TEST_VLT.code(), tooBig);
      assertTrue(r.isTruncated());
      r.abort();
      TestRings.counter(writer, r, 1, 3);
      assertEquals(3, follower.drain(100));
      assertEquals(List.of(1L, 2L, 3L), seen.seqnos);
      assertEquals(null, seen.errors.get(0), "a 0-byte event reserved no space for the error");
      assertEquals(
          new RecordError(
              RecordError.ErrorType.MISSING_EVENT, TestEventType.TEST_VLT.code(), 0, tooBig),
          seen.errors.get(1));
      assertEquals(
          RecordError.TRUNCATED_EVENT_SIZE + TestCounter.SIZE,
          ring.nextPayloadByte(),
          "aborting changes no allocation: the next event follows the 8 KiB error");
    }
  }

  @Test
  void aReservationIsPublishedOnce() {
    try (RingWriter writer = TestRings.create(dir, "ring")) {
      Reservation r = writer.newReservation();
      writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE).commit();
      assertThrows(IllegalStateException.class, r::commit);
      assertThrows(IllegalStateException.class, r::abort);
      writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE).abort();
      assertThrows(IllegalStateException.class, r::commit);
    }
  }
}
