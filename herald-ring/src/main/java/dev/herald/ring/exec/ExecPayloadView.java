package dev.herald.ring.exec;

import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.RingException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;

/**
 * A reusable, zero-copy view of one EXEC payload struct: {@link #wrap(EventRing, EventDescriptor)}
 * points it at an event's bytes in the ring's shared payload buffer, and its accessors read the
 * fields in place. Wrapping checks the payload against its own structure (the exact size of the
 * struct plus the trailing arrays its lengths declare) and allocates nothing; scalar fields,
 * lengths and flags are read without allocating too, while byte strings and 256-bit integers are
 * copied into {@link Bytes} and {@link BigInteger} values.
 *
 * <p>The writer may overwrite a live ring's payload at any time: read what you need, then call
 * {@link #valid()} and discard what you read if it returns false. {@code toRecord()} on each view
 * copies the whole struct into an immutable record (check {@link #valid()} after that too). A read
 * never reaches outside the event's checked bytes: if the writer overwrites a length while the view
 * reads the array it sizes, the accessor throws a {@link RingException} of kind {@link
 * RingException.Kind#PAYLOAD_EXPIRED} instead of reading elsewhere. If the ring file is truncated
 * under the mapping, a read faults and the JVM raises an {@link InternalError}, possibly a little
 * after the read; {@link ExecDecoder} and {@link BlockAssembler} turn it into a {@link
 * RingException} of kind {@link RingException.Kind#TRUNCATED}.
 *
 * <pre>{@code
 * TxnLog.View log = new TxnLog.View();               // one per reading thread, reused
 * if (d.eventType() == ExecEventType.TXN_LOG.code() && log.wrap(ring, d)) {
 *   int topics = log.topicCount();
 *   TxnLog kept = log.toRecord();
 *   if (!log.valid()) { ... the payload was overwritten: drop what was read ... }
 * }
 * }</pre>
 */
public abstract sealed class ExecPayloadView
    permits BlockStart.View,
        BlockEnd.View,
        BlockQc.View,
        BlockFinalized.View,
        BlockVerified.View,
        Reject.View,
        TxnHeaderStart.View,
        TxnAccessListEntry.View,
        TxnAuthListEntry.View,
        TxnEvmOutput.View,
        TxnLog.View,
        TxnCallFrame.View,
        AccountAccessListHeader.View,
        AccountAccess.View,
        StorageAccess.View,
        EvmError.View {
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  private final ExecEventType type;
  private final long fixedSize;
  private MemorySegment segment = MemorySegment.NULL;
  private long base;
  private long size;
  private long seqno;
  private long bufOffset;
  private EventRing ring;

  ExecPayloadView(ExecEventType type, long fixedSize) {
    this.type = type;
    this.fixedSize = fixedSize;
  }

  /**
   * Points this view at an event's payload in the ring, without copying it, and checks it.
   *
   * @param ring the ring the event was read from
   * @param d the event, of this view's type
   * @return true if the view now shows the payload; false if the payload had already been
   *     overwritten (expired) when its lengths disagreed with its size
   * @throws IllegalArgumentException if the event is of another type
   * @throws RingException of kind {@link RingException.Kind#BAD_PAYLOAD} if the (still valid)
   *     payload disagrees with its structure
   */
  public final boolean wrap(EventRing ring, EventDescriptor d) {
    checkType(d.eventType());
    this.ring = ring;
    this.segment = ring.payloadBuffer();
    this.base = ring.payloadPosition(d);
    this.size = d.payloadSize();
    this.seqno = d.seqno();
    this.bufOffset = d.payloadBufOffset();
    if (structureMatches()) {
      return true;
    }
    if (!valid()) {
      return false;
    }
    throw badPayload();
  }

  /**
   * Points this view at a payload held elsewhere (a copy, a test vector) and checks it.
   *
   * @param payload exactly the event's payload bytes
   * @return this view
   * @throws RingException of kind {@link RingException.Kind#BAD_PAYLOAD} if the payload disagrees
   *     with its structure
   */
  public final ExecPayloadView wrap(MemorySegment payload) {
    this.ring = null;
    this.segment = payload;
    this.base = 0;
    this.size = payload.byteSize();
    this.seqno = 0;
    if (!structureMatches()) {
      throw badPayload();
    }
    return this;
  }

  private void checkType(int code) {
    if (code != type.code()) {
      throw new IllegalArgumentException(
          "a " + type + " view cannot show an event of type " + code + "; wrap the matching view");
    }
  }

  private boolean structureMatches() {
    if (Long.compareUnsigned(size, fixedSize) < 0) {
      return false;
    }
    long tail = tailSize();
    return tail >= 0 && size - fixedSize == tail;
  }

  /**
   * The bytes of the trailing arrays the fixed fields declare, or -1 if a declared count is beyond
   * the format's limits. Called only once the payload holds the fixed part.
   */
  long tailSize() {
    return 0;
  }

  /** Describes the trailing lengths for an error message; views with trailing arrays override. */
  String describeTail() {
    return "no trailing arrays";
  }

  private RingException badPayload() {
    String where = describeEvent();
    String why =
        Long.compareUnsigned(size, fixedSize) < 0
            ? "is " + size + " bytes, shorter than its " + fixedSize + "-byte struct"
            : "is "
                + size
                + " bytes, but its "
                + fixedSize
                + "-byte struct declares "
                + describeTail();
    return new RingException(
        RingException.Kind.BAD_PAYLOAD,
        where + " " + why + "; the payload is corrupt or truncated, drop the event");
  }

  /**
   * Whether the payload read through this view has not been overwritten since it was wrapped
   * ({@code payload_check}). Call it after reading; always true for a payload wrapped from a
   * segment.
   *
   * @return true if what was read is the event's payload
   */
  public final boolean valid() {
    if (ring == null) {
      return true;
    }
    // Keep the payload reads above from moving below the window load that validates them.
    VarHandle.loadLoadFence();
    return Long.compareUnsigned(bufOffset, ring.bufferWindowStart()) >= 0;
  }

  /**
   * The event type this view shows.
   *
   * @return the type
   */
  public final ExecEventType type() {
    return type;
  }

  /**
   * The sequence number of the wrapped event.
   *
   * @return the seqno, 0 for a payload wrapped from a segment
   */
  public final long seqno() {
    return seqno;
  }

  /**
   * The payload size: the fixed struct plus its trailing arrays.
   *
   * @return bytes
   */
  public final long payloadSize() {
    return size;
  }

  final int u8(long offset) {
    return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, base + offset));
  }

  final boolean bool(long offset) {
    return u8(offset) != 0;
  }

  final long u32(long offset) {
    return Integer.toUnsignedLong(i32(offset));
  }

  final int i32(long offset) {
    return segment.get(INT, base + offset);
  }

  final long u64(long offset) {
    return segment.get(LONG, base + offset);
  }

  /**
   * Copies {@code length} bytes at {@code offset}; the range was checked at wrap time, and is
   * checked again because its bounds are re-read from memory the writer may have reused since.
   */
  final Bytes bytes(long offset, long length) {
    if (Long.compareUnsigned(length, size) > 0 || Long.compareUnsigned(offset, size - length) > 0) {
      throw changedWhileRead();
    }
    byte[] out = new byte[(int) length];
    MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, base + offset, out, 0, out.length);
    return Bytes.wrap(out);
  }

  /**
   * The number of 32-byte items of a trailing array at {@code offset}, checked against the payload
   * size so that a count the writer overwrote never sizes an allocation.
   */
  final int items(long offset, long count) {
    if (Long.compareUnsigned(count, size / 32) > 0
        || Long.compareUnsigned(offset, size - count * 32) > 0) {
      throw changedWhileRead();
    }
    return (int) count;
  }

  /** A little-endian unsigned integer of {@code length} bytes (uint256_ne, __uint128_t). */
  final BigInteger unsignedLe(long offset, int length) {
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[length - 1 - i] = segment.get(ValueLayout.JAVA_BYTE, base + offset + i);
    }
    return new BigInteger(1, be);
  }

  /**
   * A length checked at wrap time now reads differently: the writer reused the payload's bytes
   * (expiry), or, if the payload is still valid, something rewrote it in place.
   */
  private RingException changedWhileRead() {
    String where = describeEvent();
    if (!valid()) {
      return new RingException(
          RingException.Kind.PAYLOAD_EXPIRED,
          where
              + " was overwritten by the writer while it was read (its lengths changed); drop what"
              + " was read from it");
    }
    return new RingException(
        RingException.Kind.BAD_PAYLOAD,
        where
            + " changed while it was read although it is still valid; the ring is not written by"
            + " a RING01 writer, drop the event");
  }

  private String describeEvent() {
    return (seqno == 0 ? "a " + type + " payload" : "event " + seqno + " (" + type + ")")
        + (ring == null ? "" : " in " + ring.path());
  }

  final BlockTag tag(long offset) {
    return new BlockTag(bytes(offset, 32), u64(offset + 32));
  }

  final BigInteger uint256(long offset) {
    return unsignedLe(offset, 32);
  }
}
