package dev.herald.ring;

import static dev.herald.ring.RingLayout.ATOMIC_LONG;
import static dev.herald.ring.RingLayout.BYTE;
import static dev.herald.ring.RingLayout.DESC_CONTENT_EXT;
import static dev.herald.ring.RingLayout.DESC_EVENT_TYPE;
import static dev.herald.ring.RingLayout.DESC_SEQNO;
import static dev.herald.ring.RingLayout.INT;
import static dev.herald.ring.RingLayout.LONG;
import static dev.herald.ring.RingLayout.SHORT;

import dev.herald.os.internal.RealtimeClock;
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
 * <p>Every reservation must be published, or readers stop at its slot until the writer laps the
 * ring: an event that cannot be filled is published as a RECORD_ERROR with {@link #abort()}. The
 * writer does that itself for a reservation still open when it is reserved again, and {@link
 * RingWriter#record(Reservation, int, long, java.util.function.Consumer)} does it when its filler
 * throws.
 *
 * <pre>{@code
 * Reservation r = writer.newReservation();
 * writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE);
 * try {
 *   r.putByte(TestCounter.WRITER_ID, (byte) 1).putLong(TestCounter.COUNTER, nextCounter());
 *   r.commit();
 * } catch (RuntimeException e) {
 *   r.abort(); // readers see a RECORD_ERROR (MISSING_EVENT) and move on
 *   throw e;
 * }
 * }</pre>
 */
public final class Reservation {
  private final MemorySegment descriptors;
  private final MemorySegment payload;
  // The thread's own clock: its timespec buffer must not be shared, and a reservation is not.
  private final RealtimeClock clock = new RealtimeClock();
  private long seqno;
  private long slot;
  private long start;
  private long base;
  private long writable;
  private boolean truncated;
  private int eventType;
  private long requested;
  private boolean open;

  Reservation(MemorySegment descriptors, MemorySegment payload) {
    this.descriptors = descriptors;
    this.payload = payload;
  }

  /** Points this reservation at a newly reserved slot and its payload, open for filling. */
  void reset(long seqno, long slot, long start, long size, int eventType) {
    this.seqno = seqno;
    this.slot = slot;
    this.start = start;
    this.base = start;
    this.writable = size;
    this.truncated = false;
    this.eventType = eventType;
    this.requested = size;
    this.open = true;
  }

  /** The writer made the event an overflow RECORD_ERROR: writes land after the error struct. */
  void truncate(int droppedType, long requestedSize, long kept) {
    this.base = start + RecordError.SIZE;
    this.writable = kept;
    this.truncated = true;
    this.eventType = droppedType;
    this.requested = requestedSize;
  }

  RealtimeClock clock() {
    return clock;
  }

  long slot() {
    return slot;
  }

  long start() {
    return start;
  }

  boolean open() {
    return open;
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
      PayloadCopy.copy(src, 0, payload, base + at, n);
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

  /**
   * Whether the event is reserved and neither committed nor aborted yet.
   *
   * @return true until {@link #commit()} or {@link #abort()}
   */
  public boolean isOpen() {
    return open;
  }

  /**
   * Publishes the event: readers can see it from now on. Call once per reservation.
   *
   * @throws IllegalStateException if it was already committed or aborted
   */
  public void commit() {
    requireOpen("commit");
    publish();
  }

  /**
   * Publishes a RECORD_ERROR event of type {@link RecordError.ErrorType#MISSING_EVENT} in place of
   * the event that could not be filled, so that readers move past its slot. Its payload is the
   * 16-byte {@link RecordError} naming the dropped event type and the payload size that was asked
   * for (no payload for a 0-byte event, which reserved no space); the flow tags already set stay.
   *
   * @throws IllegalStateException if it was already committed or aborted
   */
  public void abort() {
    requireOpen("abort");
    long size = truncated || requested > 0 ? RecordError.SIZE : 0;
    if (size > 0) {
      payload.set(
          SHORT,
          start + RecordError.ERROR_TYPE,
          (short) RecordError.ErrorType.MISSING_EVENT.ordinal());
      payload.set(SHORT, start + RecordError.DROPPED_EVENT_TYPE, (short) eventType);
      payload.set(INT, start + RecordError.TRUNCATED_PAYLOAD_SIZE, 0);
      payload.set(LONG, start + RecordError.REQUESTED_PAYLOAD_SIZE, requested);
    }
    descriptors.set(LONG, slot + DESC_EVENT_TYPE, RecordError.EVENT_TYPE | (size << Integer.SIZE));
    publish();
  }

  private void requireOpen(String action) {
    if (!open) {
      throw new IllegalStateException(
          "cannot "
              + action
              + " event "
              + seqno
              + ": it was already committed or aborted; reserve the next event first");
    }
  }

  private void publish() {
    open = false;
    // Release: every descriptor and payload store above is visible before the sequence number.
    ATOMIC_LONG.setRelease(descriptors, slot + DESC_SEQNO, seqno);
  }
}
