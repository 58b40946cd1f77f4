package dev.herald.ring;

import static dev.herald.ring.RingLayout.ATOMIC_LONG;
import static dev.herald.ring.RingLayout.BYTE;
import static dev.herald.ring.RingLayout.DESC_CONTENT_EXT;
import static dev.herald.ring.RingLayout.DESC_SEQNO;
import static dev.herald.ring.RingLayout.INT;
import static dev.herald.ring.RingLayout.LONG;
import static dev.herald.ring.RingLayout.SHORT;

import java.lang.foreign.MemorySegment;

/**
 * One reserved, not yet published event: fill its payload and flow tags, then {@link #commit()}. A
 * thread reuses one reservation for all its events (from {@link RingWriter#newReservation()}), so
 * recording allocates nothing. Not thread-safe.
 *
 * <p>Offsets given to the {@code put} methods are relative to the start of the payload. When the
 * writer had to replace the event with a RECORD_ERROR ({@link #isTruncated()}), the bytes are kept
 * up to the error event's capacity and silently dropped beyond it, as upstream truncates them.
 *
 * <pre>{@code
 * Reservation r = writer.newReservation();
 * writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE)
 *     .putByte(TestCounter.WRITER_ID, (byte) 1)
 *     .putLong(TestCounter.COUNTER, 42)
 *     .commit();
 * }</pre>
 */
public final class Reservation {
  private final MemorySegment descriptors;
  private final MemorySegment payload;
  private long seqno;
  private long slot;
  private long base;
  private long writable;
  private boolean truncated;

  Reservation(MemorySegment descriptors, MemorySegment payload) {
    this.descriptors = descriptors;
    this.payload = payload;
  }

  void reset(long seqno, long slot, long base, long writable, boolean truncated) {
    this.seqno = seqno;
    this.slot = slot;
    this.base = base;
    this.writable = writable;
    this.truncated = truncated;
  }

  long slot() {
    return slot;
  }

  long base() {
    return base;
  }

  /**
   * The event's sequence number.
   *
   * @return the sequence number
   */
  public long seqno() {
    return seqno;
  }

  /**
   * Whether the event was replaced by a RECORD_ERROR because its payload was too large.
   *
   * @return true if truncated
   */
  public boolean isTruncated() {
    return truncated;
  }

  /**
   * How many payload bytes can be written.
   *
   * @return the requested size, or the truncated capacity of a RECORD_ERROR replacement
   */
  public long capacity() {
    return writable;
  }

  /**
   * Sets one of the descriptor's four extension words (flow tags); unset words stay 0.
   *
   * @param index 0 to 3
   * @param value the word
   * @return this reservation
   */
  public Reservation contentExt(int index, long value) {
    if (index < 0 || index >= RingLayout.CONTENT_EXT_COUNT) {
      throw new IndexOutOfBoundsException("content_ext index " + index);
    }
    descriptors.set(LONG, slot + DESC_CONTENT_EXT + 8L * index, value);
    return this;
  }

  private boolean fits(long at, long n) {
    if (at >= 0 && n >= 0 && at + n <= writable) {
      return true;
    }
    if (truncated && at >= 0) {
      return false;
    }
    throw new IndexOutOfBoundsException(
        "payload write of " + n + " bytes at " + at + " exceeds the reserved " + writable);
  }

  /**
   * Writes a byte.
   *
   * @param at payload offset
   * @param value the byte
   * @return this reservation
   */
  public Reservation putByte(long at, byte value) {
    if (fits(at, 1)) {
      payload.set(BYTE, base + at, value);
    }
    return this;
  }

  /**
   * Writes a little-endian 16-bit value.
   *
   * @param at payload offset
   * @param value the value
   * @return this reservation
   */
  public Reservation putShort(long at, short value) {
    if (fits(at, 2)) {
      payload.set(SHORT, base + at, value);
    }
    return this;
  }

  /**
   * Writes a little-endian 32-bit value.
   *
   * @param at payload offset
   * @param value the value
   * @return this reservation
   */
  public Reservation putInt(long at, int value) {
    if (fits(at, 4)) {
      payload.set(INT, base + at, value);
    }
    return this;
  }

  /**
   * Writes a little-endian 64-bit value.
   *
   * @param at payload offset
   * @param value the value
   * @return this reservation
   */
  public Reservation putLong(long at, long value) {
    if (fits(at, 8)) {
      payload.set(LONG, base + at, value);
    }
    return this;
  }

  /**
   * Copies bytes into the payload (only those that fit, for a truncated event).
   *
   * @param at payload offset
   * @param src the bytes
   * @return this reservation
   */
  public Reservation putBytes(long at, MemorySegment src) {
    long n = src.byteSize();
    if (fits(at, n)) {
      MemorySegment.copy(src, 0, payload, base + at, n);
    } else if (at < writable) {
      MemorySegment.copy(src, 0, payload, base + at, writable - at);
    }
    return this;
  }

  /**
   * Copies bytes into the payload (only those that fit, for a truncated event).
   *
   * @param at payload offset
   * @param src the bytes
   * @return this reservation
   */
  public Reservation putBytes(long at, byte[] src) {
    return putBytes(at, MemorySegment.ofArray(src));
  }

  /**
   * The writable payload as a segment (allocates a view; the {@code put} methods do not).
   *
   * @return {@link #capacity()} bytes, contiguous even across the buffer's end
   */
  public MemorySegment payload() {
    return payload.asSlice(base, writable);
  }

  /** Publishes the event: readers can see it from now on. Call once per reservation. */
  public void commit() {
    // Release: every descriptor and payload store above is visible before the sequence number.
    ATOMIC_LONG.setRelease(descriptors, slot + DESC_SEQNO, seqno);
  }
}
