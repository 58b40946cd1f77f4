package dev.herald.communicator;

import dev.herald.os.Fd;
import java.lang.foreign.MemorySegment;

/**
 * A connection's pending output: bytes the transport would not take yet. The array exists only
 * while output is pending and grows by doubling, so an idle connection holds nothing.
 */
final class OutputBuffer {
  private static final int FIRST_SIZE = 4096;

  private byte[] data;
  private int start;
  private int end;

  int pending() {
    return end - start;
  }

  /** Appends bytes; the caller checked the bound. */
  void append(byte[] bytes, int offset, int length) {
    if (data == null) {
      data = new byte[grownSize(FIRST_SIZE, length)];
    } else if (data.length - end < length) {
      int pending = end - start;
      if (data.length - pending >= length) {
        System.arraycopy(data, start, data, 0, pending); // room at the front: compact
      } else {
        byte[] grown = new byte[grownSize(data.length, pending + length)];
        System.arraycopy(data, start, grown, 0, pending);
        data = grown;
      }
      start = 0;
      end = pending;
    }
    System.arraycopy(bytes, offset, data, end, length);
    end += length;
  }

  /** Doubles {@code size} until {@code needed} fits (needed is bounded by the caller). */
  private static int grownSize(int size, int needed) {
    long grown = size;
    while (grown < needed) {
      grown *= 2;
    }
    return (int) Math.min(grown, Integer.MAX_VALUE - 8);
  }

  /**
   * Writes as much as the transport takes.
   *
   * @return true when everything is written
   * @throws dev.herald.os.OsException when the write fails
   */
  boolean flush(Transport transport) {
    while (start < end) {
      long written = transport.write(MemorySegment.ofArray(data).asSlice(start, end - start));
      if (written == Fd.WOULD_BLOCK) {
        return false;
      }
      start += (int) written;
    }
    data = null; // empty: give the memory back
    start = 0;
    end = 0;
    return true;
  }

  /** Forgets what is pending (the connection is gone). */
  void clear() {
    data = null;
    start = 0;
    end = 0;
  }

  @Override
  public String toString() {
    return "OutputBuffer("
        + pending()
        + " bytes"
        + (data == null ? "" : " of " + data.length)
        + ")";
  }
}
