package dev.herald.dispatcher;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns byte ranges of an input buffer into strings for the parsers: names through a small
 * direct-mapped cache (a service sees the same few commands and parameter names again and again, so
 * they cost no allocation), values straight from the buffer, and a scratch buffer for values that
 * need unescaping. One per parser; not thread-safe.
 */
final class TextDecoder {
  private static final int CACHE_SLOTS = 512;
  private static final int MAX_CACHED_LENGTH = 48;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final String[] cache = new String[CACHE_SLOTS];
  // A length of 0 marks an empty slot: empty names are never cached.
  private final int[] lengths = new int[CACHE_SLOTS];
  private final long[] heads = new long[CACHE_SLOTS];
  private final long[] tails = new long[CACHE_SLOTS];
  private final byte[][] middles = new byte[CACHE_SLOTS][];
  private byte[] scratch = new byte[128];

  /**
   * Returns the text of a name-like range, shared with earlier equal names when ASCII.
   *
   * <p>A name is looked up by its first and last eight bytes, read as two words (one masked word
   * for a name shorter than eight bytes): they give the slot and, for names up to 16 bytes, which
   * cover almost all commands, services and parameter names, the whole comparison. A byte-by-byte
   * hash and compare would be a chain of dependent operations on every byte of every name.
   */
  String name(byte[] b, int from, int to) {
    int length = to - from;
    if (length == 0) {
      return "";
    }
    if (length > MAX_CACHED_LENGTH) {
      return decode(b, from, to);
    }
    long head;
    long tail;
    if (length >= 8) {
      head = (long) LONGS.get(b, from);
      tail = (long) LONGS.get(b, to - 8);
    } else {
      head = shortWord(b, from, to);
      tail = 0;
    }
    long mixed = ((head * GOLDEN ^ tail) + length) * GOLDEN;
    int slot = (int) (mixed >>> 40) & (CACHE_SLOTS - 1);
    if (lengths[slot] == length
        && heads[slot] == head
        && tails[slot] == tail
        && (length <= 16 || Arrays.equals(middles[slot], 0, length - 16, b, from + 8, to - 8))) {
      return cache[slot]; // only ASCII names are cached, so equal bytes are an ASCII name
    }
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        return decode(b, from, to); // not ASCII: not worth caching
      }
    }
    String name = new String(b, from, length, StandardCharsets.ISO_8859_1);
    cache[slot] = name;
    lengths[slot] = length;
    heads[slot] = head;
    tails[slot] = tail;
    middles[slot] = length > 16 ? Arrays.copyOfRange(b, from + 8, to - 8) : null;
    return name;
  }

  /** The bytes of a range shorter than 8 bytes as a word, the first byte lowest. */
  private static long shortWord(byte[] b, int from, int to) {
    int n = to - from;
    if (b.length - from >= 8) {
      return (long) LONGS.get(b, from) & (-1L >>> (64 - 8 * n));
    }
    long word = 0; // near the end of the buffer: the same value, byte by byte
    for (int i = to - 1; i >= from; i--) {
      word = (word << 8) | (b[i] & 0xFF);
    }
    return word;
  }

  /**
   * Decodes a range as UTF-8; malformed sequences become U+FFFD (the string form keeps going as
   * upstream does; the JSON reader checks its strings with {@link #firstMalformed} first).
   */
  String decode(byte[] b, int from, int to) {
    return from == to ? "" : new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  /**
   * Returns the text of a range the caller knows to be ASCII: no UTF-8 decoding and no check, a
   * plain copy (the UTF-8 constructor would scan the bytes once more to find that out).
   */
  String ascii(byte[] b, int from, int to) {
    return from == to ? "" : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /**
   * Returns the index of the first byte in {@code [from, to)} that does not start a well-formed
   * UTF-8 sequence (one ending by {@code to}), or -1 when the whole range is well-formed.
   */
  static int firstMalformed(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (b[i] >= 0) {
        i++;
      } else {
        int length = sequenceLength(b, i, to);
        if (length == 0) {
          return i;
        }
        i += length;
      }
    }
    return -1;
  }

  /**
   * Returns the length of the well-formed UTF-8 sequence that the byte at {@code i} (0x80 or more)
   * starts and that ends by {@code end}, or 0: a continuation byte, an overlong form, an encoded
   * surrogate, a code point above U+10FFFF or a truncated sequence (RFC 3629, as Java's decoder).
   */
  static int sequenceLength(byte[] b, int i, int end) {
    int lead = b[i] & 0xFF;
    if (lead < 0xC2 || lead > 0xF4) {
      return 0;
    }
    if (lead < 0xE0) {
      return i + 1 < end && isContinuation(b[i + 1]) ? 2 : 0;
    }
    if (lead < 0xF0) {
      if (i + 2 >= end) {
        return 0;
      }
      int second = b[i + 1] & 0xFF;
      int low = lead == 0xE0 ? 0xA0 : 0x80; // not overlong
      int high = lead == 0xED ? 0x9F : 0xBF; // not a surrogate
      return second >= low && second <= high && isContinuation(b[i + 2]) ? 3 : 0;
    }
    if (i + 3 >= end) {
      return 0;
    }
    int second = b[i + 1] & 0xFF;
    int low = lead == 0xF0 ? 0x90 : 0x80; // not overlong
    int high = lead == 0xF4 ? 0x8F : 0xBF; // not above U+10FFFF
    return second >= low && second <= high && isContinuation(b[i + 2]) && isContinuation(b[i + 3])
        ? 4
        : 0;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Returns a scratch buffer of at least the given size (its content is not kept). */
  byte[] scratch(int size) {
    if (scratch.length < size) {
      scratch = new byte[Math.max(size, scratch.length * 2)];
    }
    return scratch;
  }

  /** Decodes the first {@code length} bytes of the scratch buffer. */
  String decodeScratch(int length) {
    return decode(scratch, 0, length);
  }
}
