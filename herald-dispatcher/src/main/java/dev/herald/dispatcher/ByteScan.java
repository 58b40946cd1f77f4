package dev.herald.dispatcher;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds delimiter bytes eight at a time (SWAR): a 1 KiB log value is scanned in 128 steps instead
 * of 1 024. In {@code (v - 0x01..01) & ~v & 0x80..80} the lowest flagged byte is always a real zero
 * byte of {@code v} (borrows only create false flags above a true one), so the first match is
 * exact.
 */
final class ByteScan {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private ByteScan() {}

  private static long zeros(long v) {
    return (v - ONES) & ~v & HIGHS;
  }

  private static long copies(int b) {
    return (b & 0xFFL) * ONES;
  }

  /** Index of the first {@code a} or {@code b} in {@code [from, to)}, or {@code to}. */
  static int indexOfEither(byte[] buf, int from, int to, int a, int b) {
    long pa = copies(a);
    long pb = copies(b);
    int i = from;
    // Two words per step: independent work for the CPU, one branch per 16 bytes.
    for (; i + 16 <= to; i += 16) {
      long first = (long) LONGS.get(buf, i);
      long second = (long) LONGS.get(buf, i + 8);
      long mask0 = zeros(first ^ pa) | zeros(first ^ pb);
      long mask1 = zeros(second ^ pa) | zeros(second ^ pb);
      if ((mask0 | mask1) != 0) {
        return mask0 != 0
            ? i + (Long.numberOfTrailingZeros(mask0) >>> 3)
            : i + 8 + (Long.numberOfTrailingZeros(mask1) >>> 3);
      }
    }
    for (; i + 8 <= to; i += 8) {
      long word = (long) LONGS.get(buf, i);
      long mask = zeros(word ^ pa) | zeros(word ^ pb);
      if (mask != 0) {
        return i + (Long.numberOfTrailingZeros(mask) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buf[i] == a || buf[i] == b) {
        return i;
      }
    }
    return to;
  }

  /** Set in a result of {@link #indexOfEitherAscii} when a byte of 0x80 or more was seen. */
  static final int NOT_ASCII = Integer.MIN_VALUE;

  /**
   * As {@link #indexOfEither}, and also tells whether the bytes before the result are ASCII, for
   * free from the words the search reads anyway: the result is the index, with {@link #NOT_ASCII}
   * set when a byte of 0x80 or more was seen (a byte just past the index may set it too, which only
   * costs the caller its ASCII fast path).
   */
  static int indexOfEitherAscii(byte[] buf, int from, int to, int a, int b) {
    long pa = copies(a);
    long pb = copies(b);
    long seen = 0;
    int i = from;
    for (; i + 16 <= to; i += 16) {
      long first = (long) LONGS.get(buf, i);
      long second = (long) LONGS.get(buf, i + 8);
      seen |= first | second;
      long mask0 = zeros(first ^ pa) | zeros(first ^ pb);
      long mask1 = zeros(second ^ pa) | zeros(second ^ pb);
      if ((mask0 | mask1) != 0) {
        int at =
            mask0 != 0
                ? i + (Long.numberOfTrailingZeros(mask0) >>> 3)
                : i + 8 + (Long.numberOfTrailingZeros(mask1) >>> 3);
        return (seen & HIGHS) == 0 ? at : at | NOT_ASCII;
      }
    }
    for (; i < to; i++) {
      byte c = buf[i];
      if (c == a || c == b) {
        break;
      }
      seen |= c & 0x80;
    }
    return (seen & HIGHS) == 0 ? i : i | NOT_ASCII;
  }

  /** Index of the first {@code a}, {@code b} or {@code c} in {@code [from, to)}, or {@code to}. */
  static int indexOfAny(byte[] buf, int from, int to, int a, int b, int c) {
    long pa = copies(a);
    long pb = copies(b);
    long pc = copies(c);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = (long) LONGS.get(buf, i);
      long mask = zeros(word ^ pa) | zeros(word ^ pb) | zeros(word ^ pc);
      if (mask != 0) {
        return i + (Long.numberOfTrailingZeros(mask) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buf[i] == a || buf[i] == b || buf[i] == c) {
        return i;
      }
    }
    return to;
  }

  /**
   * Index of the first {@code "}, {@code \} or control byte (below 0x20) in {@code [from, to)}, or
   * {@code to}: where a JSON string scan must stop.
   */
  static int indexOfJsonStop(byte[] buf, int from, int to) {
    long quotes = copies('"');
    long backslashes = copies('\\');
    long spaces = copies(0x20);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = (long) LONGS.get(buf, i);
      // (word - 0x20..20) & ~word & 0x80..80 flags bytes below 0x20 (bytes >= 0x80 never).
      long mask =
          zeros(word ^ quotes) | zeros(word ^ backslashes) | ((word - spaces) & ~word & HIGHS);
      if (mask != 0) {
        return i + (Long.numberOfTrailingZeros(mask) >>> 3);
      }
    }
    for (; i < to; i++) {
      int c = buf[i] & 0xFF;
      if (c == '"' || c == '\\' || c < 0x20) {
        return i;
      }
    }
    return to;
  }
}
