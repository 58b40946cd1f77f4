package dev.herald.ring;

import static dev.herald.ring.RingLayout.DESC_CONTENT_EXT;
import static dev.herald.ring.RingLayout.DESC_EVENT_TYPE;
import static dev.herald.ring.RingLayout.DESC_PAYLOAD_BUF_OFFSET;
import static dev.herald.ring.RingLayout.DESC_RECORD_EPOCH_NANOS;
import static dev.herald.ring.RingLayout.LONG;

import java.lang.foreign.MemorySegment;

/**
 * A private copy of one 64-byte event descriptor ({@code monad_event_descriptor}), filled by {@link
 * EventReader#poll} or {@link EventRing#tryCopy}. Reuse one per reading thread: filling it
 * allocates nothing.
 *
 * <pre>{@code
 * EventDescriptor d = new EventDescriptor();
 * if (reader.poll(d) == PollResult.EVENT) {
 *   System.out.println(d.seqno() + " " + d.eventType() + " " + d.payloadSize());
 * }
 * }</pre>
 */
public final class EventDescriptor {
  private long seqno;
  private int eventType;
  private long payloadSize;
  private long recordEpochNanos;
  private long payloadBufOffset;
  private long ext0;
  private long ext1;
  private long ext2;
  private long ext3;

  /** Creates an empty descriptor (sequence number 0). */
  public EventDescriptor() {}

  /** Copies the fields after {@code seqno}; the caller has already read the sequence number. */
  void copyFrom(MemorySegment descriptors, long slot, long seqno) {
    this.seqno = seqno;
    // event_type (2 bytes), 16 bits of padding and payload_size (4 bytes): one little-endian load.
    long typeAndSize = descriptors.get(LONG, slot + DESC_EVENT_TYPE);
    eventType = (int) (typeAndSize & 0xffff);
    payloadSize = typeAndSize >>> Integer.SIZE;
    recordEpochNanos = descriptors.get(LONG, slot + DESC_RECORD_EPOCH_NANOS);
    payloadBufOffset = descriptors.get(LONG, slot + DESC_PAYLOAD_BUF_OFFSET);
    ext0 = descriptors.get(LONG, slot + DESC_CONTENT_EXT);
    ext1 = descriptors.get(LONG, slot + DESC_CONTENT_EXT + 8);
    ext2 = descriptors.get(LONG, slot + DESC_CONTENT_EXT + 16);
    ext3 = descriptors.get(LONG, slot + DESC_CONTENT_EXT + 24);
  }

  /**
   * The event's sequence number (1 for the first event of a ring).
   *
   * @return the sequence number
   */
  public long seqno() {
    return seqno;
  }

  /**
   * The event type code in the ring's schema, see {@link ContentType#kind(int)}.
   *
   * @return the code (unsigned 16-bit)
   */
  public int eventType() {
    return eventType;
  }

  /**
   * The exact payload size in bytes.
   *
   * @return the size (unsigned 32-bit)
   */
  public long payloadSize() {
    return payloadSize;
  }

  /**
   * {@code CLOCK_REALTIME} in nanoseconds, taken when the writer reserved the event.
   *
   * @return nanoseconds since the epoch
   */
  public long recordEpochNanos() {
    return recordEpochNanos;
  }

  /**
   * The virtual (never wrapping) payload offset; always a multiple of 16.
   *
   * @return the offset
   */
  public long payloadBufOffset() {
    return payloadBufOffset;
  }

  /**
   * One of the four content-specific extension words, e.g. {@link ExecFlowTag#BLOCK_SEQNO}.
   *
   * @param index 0 to 3
   * @return the word
   */
  public long contentExt(int index) {
    return switch (index) {
      case 0 -> ext0;
      case 1 -> ext1;
      case 2 -> ext2;
      case 3 -> ext3;
      default -> throw new IndexOutOfBoundsException("content_ext index " + index);
    };
  }

  @Override
  public String toString() {
    return "EventDescriptor[seqno="
        + seqno
        + ", type="
        + eventType
        + ", size="
        + payloadSize
        + ", offset="
        + payloadBufOffset
        + ", epochNanos="
        + recordEpochNanos
        + ", ext=["
        + ext0
        + ", "
        + ext1
        + ", "
        + ext2
        + ", "
        + ext3
        + "]]";
  }
}
