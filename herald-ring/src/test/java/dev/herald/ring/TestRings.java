package dev.herald.ring;

import java.nio.file.Path;

/** Small rings in a test's directory, and TEST_COUNTER recording. */
final class TestRings {
  /** The smallest ring the format allows: 65,536 descriptors, 128 MiB of payload. */
  static final RingSize SMALLEST = RingSize.ofShifts(16, 27);

  private TestRings() {}

  static RingWriter create(Path dir, String name) {
    return RingWriter.create(dir.resolve(name), ContentType.TEST, SMALLEST);
  }

  static long counter(RingWriter writer, Reservation r, int writerId, long counter) {
    writer
        .reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE)
        .putByte(TestCounter.WRITER_ID, (byte) writerId)
        .putLong(TestCounter.COUNTER, counter)
        .commit();
    return r.seqno();
  }
}
