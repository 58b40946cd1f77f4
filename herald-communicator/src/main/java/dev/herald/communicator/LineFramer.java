package dev.herald.communicator;

import java.util.Arrays;

/**
 * One connection's line state: cuts reads into lines without copying complete lines (they are
 * handed over from the read buffer itself) and keeps only the unfinished tail of a read, in a
 * buffer that exists only while a line is unfinished, so an idle connection holds nothing.
 */
final class LineFramer {
  /** Receives one line; returns false to stop (the connection was closed). */
  @FunctionalInterface
  interface LineSink {
    boolean line(byte[] data, int offset, int length);
  }

  /** Partial lines are kept in a buffer that starts this small and grows by doubling. */
  private static final int FIRST_PARTIAL = 256;

  /** The largest array the JVM reliably allocates. */
  private static final int MAXIMUM_ARRAY = Integer.MAX_VALUE - 8;

  private final int maximumLength;
  private byte[] partial;
  private int partialLength;

  LineFramer(int maximumLength) {
    this.maximumLength = maximumLength;
  }

  int maximumLength() {
    return maximumLength;
  }

  /** Bytes of an unfinished line kept from earlier reads. */
  int pending() {
    return partialLength;
  }

  /**
   * Cuts {@code data[offset, offset + length)} into lines for {@code sink}, until it stops.
   *
   * @return false once a line is known to be longer than the maximum (the lines before it were
   *     delivered, the rest is dropped)
   */
  boolean feed(byte[] data, int offset, int length, LineSink sink) {
    int position = offset;
    int end = offset + length;
    if (partialLength > 0) {
      int newline = indexOfNewline(data, position, end);
      int taken = (newline < 0 ? end : newline) - position;
      if (!keep(data, position, taken)) {
        return false;
      }
      if (newline < 0) {
        return true;
      }
      int lineLength = partialLength;
      partialLength = 0; // before the sink runs: what it throws leaves no stale state
      byte[] line = partial;
      partial = null; // an idle connection keeps no buffer
      if (tooLong(line, 0, lineLength)) {
        return false;
      }
      if (!sink.line(line, 0, withoutReturn(line, 0, lineLength))) {
        return true;
      }
      position = newline + 1;
    }
    while (position < end) {
      int newline = indexOfNewline(data, position, end);
      if (newline < 0) {
        return keep(data, position, end - position);
      }
      int lineStart = position;
      position = newline + 1;
      if (tooLong(data, lineStart, newline - lineStart)) {
        return false;
      }
      if (!sink.line(data, lineStart, withoutReturn(data, lineStart, newline - lineStart))) {
        return true;
      }
    }
    return true;
  }

  /** The length of a line without its {@code '\r'}. */
  private static int withoutReturn(byte[] data, int offset, int length) {
    return length > 0 && data[offset + length - 1] == '\r' ? length - 1 : length;
  }

  private boolean tooLong(byte[] data, int offset, int length) {
    return withoutReturn(data, offset, length) > maximumLength;
  }

  /**
   * Appends to the unfinished line; one byte more than the maximum may be a final {@code '\r'}.
   *
   * @return false when the line is too long already
   */
  private boolean keep(byte[] data, int offset, int length) {
    long needed = (long) partialLength + length;
    if (needed > (long) maximumLength + 1 || needed > MAXIMUM_ARRAY) {
      clear();
      return false;
    }
    if (partial == null || partial.length < needed) {
      long size = partial == null ? FIRST_PARTIAL : partial.length;
      while (size < needed) {
        size = Math.min(size * 2, MAXIMUM_ARRAY);
      }
      partial = partial == null ? new byte[(int) size] : Arrays.copyOf(partial, (int) size);
    }
    System.arraycopy(data, offset, partial, partialLength, length);
    partialLength = (int) needed;
    if (partialLength > maximumLength && partial[maximumLength] != '\r') {
      clear(); // one byte over the maximum, and not the '\r' of a "\r\n"
      return false;
    }
    return true;
  }

  /** Forgets an unfinished line (at end of stream). */
  void clear() {
    partialLength = 0;
    partial = null;
  }

  private static int indexOfNewline(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
