package dev.herald.ring;

import java.lang.foreign.MemorySegment;

/**
 * The TEST_COUNTER payload of the {@link ContentType#TEST} schema: {@code {uint8_t writer_id;
 * uint64_t counter;}}, 16 bytes with the counter at offset 8.
 *
 * <pre>{@code
 * writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE)
 *     .putByte(TestCounter.WRITER_ID, (byte) 3)
 *     .putLong(TestCounter.COUNTER, n)
 *     .commit();
 * TestCounter c = TestCounter.read(ring.payload(d));
 * }</pre>
 *
 * @param writerId which writer recorded it
 * @param counter that writer's counter value
 */
public record TestCounter(int writerId, long counter) {
  /** Payload size. */
  public static final int SIZE = 16;

  /** Offset of {@code writer_id}. */
  public static final long WRITER_ID = 0;

  /** Offset of {@code counter}. */
  public static final long COUNTER = 8;

  /**
   * Decodes a payload.
   *
   * @param payload at least 16 bytes
   * @return the counter event
   */
  public static TestCounter read(MemorySegment payload) {
    return new TestCounter(
        Byte.toUnsignedInt(payload.get(RingLayout.BYTE, WRITER_ID)),
        payload.get(RingLayout.LONG, COUNTER));
  }
}
