package dev.herald.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Formats events the way upstream's {@code eventwatch} prints them, one summary line per event:
 *
 * <pre>{@code
 * 14:03:07.123456789: BLOCK_START [2 0x2] SEQ: 1 LEN: 528 BUF_OFF: 0 BLK: 15000001
 * 14:03:07.123460001: TXN_LOG [18 0x12] SEQ: 9 LEN: 96 BUF_OFF: 2704 BLK: 15000001 TXN: 0
 * }</pre>
 *
 * <p>The time is local ({@code zone}); {@code BLK} is read from the block's BLOCK_START payload
 * (flow tag 0) and shows {@code <LOST>} once that payload has expired; {@code TXN} is flow tag 1
 * minus one, shown when set. {@link #hexdump} prints payloads as upstream does: a {@code %08x}
 * offset, a space, then up to 16 bytes as {@code %02x} with no separator but one space after the
 * eighth.
 *
 * <pre>{@code
 * EventWatchFormat format = new EventWatchFormat(ring, ZoneId.systemDefault());
 * System.out.println(format.summary(d));
 * }</pre>
 */
public final class EventWatchFormat {
  /** Offset of the block number in a BLOCK_START payload (after the 32-byte block id). */
  private static final long BLOCK_NUMBER_OFFSET = 32;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final EventRing ring;
  private final ZoneId zone;
  private final ContentType type;
  private final EventDescriptor blockStart = new EventDescriptor();

  /**
   * Creates a formatter for one ring.
   *
   * @param ring the ring the events come from
   * @param zone the time zone for the time of day
   */
  public EventWatchFormat(EventRing ring, ZoneId zone) {
    this.ring = ring;
    this.zone = zone;
    ContentType t = ring.header().contentType();
    this.type = t == null ? ContentType.NONE : t;
  }

  /**
   * The summary line of an event (no line break).
   *
   * @param d the event
   * @return the line
   */
  public String summary(EventDescriptor d) {
    StringBuilder sb = new StringBuilder(128);
    Instant at =
        Instant.ofEpochSecond(
            Math.floorDiv(d.recordEpochNanos(), 1_000_000_000L),
            Math.floorMod(d.recordEpochNanos(), 1_000_000_000L));
    LocalTime time = LocalTime.ofInstant(at, zone);
    pad2(sb, time.getHour()).append(':');
    pad2(sb, time.getMinute()).append(':');
    pad2(sb, time.getSecond()).append('.');
    String nanos = Integer.toString(time.getNano());
    sb.repeat('0', 9 - nanos.length()).append(nanos);
    sb.append(": ").append(type.kind(d.eventType()).cName());
    sb.append(" [").append(d.eventType()).append(" 0x").append(Integer.toHexString(d.eventType()));
    sb.append("] SEQ: ").append(d.seqno());
    sb.append(" LEN: ").append(d.payloadSize());
    sb.append(" BUF_OFF: ").append(d.payloadBufOffset());
    if (type == ContentType.EXEC) {
      long blockSeqno = d.contentExt(ExecFlowTag.BLOCK_SEQNO);
      if (blockSeqno != 0) {
        sb.append(" BLK: ");
        long number = blockNumber(blockSeqno);
        if (number < 0) {
          sb.append("<LOST>");
        } else {
          sb.append(number);
        }
      }
      long txn = d.contentExt(ExecFlowTag.TXN_ID);
      if (txn != 0) {
        sb.append(" TXN: ").append(txn - 1);
      }
    }
    return sb.toString();
  }

  /** The block number from a BLOCK_START payload, or -1 if the event or its payload is gone. */
  private long blockNumber(long blockStartSeqno) {
    if (!ring.tryCopy(blockStartSeqno, blockStart)
        || blockStart.eventType() != ExecEventType.BLOCK_START.code()
        || blockStart.payloadSize() < BLOCK_NUMBER_OFFSET + 8) {
      return -1;
    }
    long number =
        ring.payloadBuffer()
            .get(
                ValueLayout.JAVA_LONG_UNALIGNED,
                ring.payloadPosition(blockStart) + BLOCK_NUMBER_OFFSET);
    return ring.payloadValid(blockStart) ? number : -1;
  }

  private static StringBuilder pad2(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /**
   * Appends a hexdump of {@code bytes} in upstream {@code eventwatch}'s layout: each line is the
   * {@code %08x} offset and a space, then up to 16 bytes as {@code %02x} with no separator except
   * one space after the eighth byte ({@code 00000000 0011223344556677 8899aabbccddeeff}).
   *
   * @param bytes the bytes
   * @param out where the lines go, each ending in a line break
   */
  public static void hexdump(MemorySegment bytes, StringBuilder out) {
    long n = bytes.byteSize();
    for (long line = 0; line < n; line += 16) {
      String offset = Long.toHexString(line);
      out.repeat('0', Math.max(0, 8 - offset.length())).append(offset).append(' ');
      for (long i = line; i < Math.min(n, line + 16); i++) {
        int b = bytes.get(ValueLayout.JAVA_BYTE, i) & 0xff;
        out.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
        if (i - line == 7) { // upstream adds it even when the line ends here
          out.append(' ');
        }
      }
      out.append('\n');
    }
  }
}
