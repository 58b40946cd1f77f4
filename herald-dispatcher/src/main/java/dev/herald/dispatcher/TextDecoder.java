package dev.herald.dispatcher;

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

  private final String[] cache = new String[CACHE_SLOTS];
  private final byte[][] cacheBytes = new byte[CACHE_SLOTS][];
  private byte[] scratch = new byte[128];

  /** Returns the text of a name-like range, shared with earlier equal names when ASCII. */
  String name(byte[] b, int from, int to) {
    int hash = 0;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + b[i];
    }
    return name(b, from, to, hash);
  }

  /**
   * As {@link #name(byte[], int, int)} with the hash already computed by the caller's scan: the sum
   * {@code h = 31 * h + b} over the range.
   */
  String name(byte[] b, int from, int to, int hash) {
    int length = to - from;
    if (length == 0) {
      return "";
    }
    if (length > MAX_CACHED_LENGTH) {
      return decode(b, from, to);
    }
    int slot = (hash ^ (hash >>> 9)) & (CACHE_SLOTS - 1);
    byte[] known = cacheBytes[slot];
    if (known != null && known.length == length && sameBytes(known, b, from)) {
      return cache[slot]; // only ASCII names are cached, so equal bytes are an ASCII name
    }
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        return decode(b, from, to); // not ASCII: not worth caching
      }
    }
    String name = new String(b, from, length, StandardCharsets.ISO_8859_1);
    cache[slot] = name;
    cacheBytes[slot] = Arrays.copyOfRange(b, from, to);
    return name;
  }

  private static boolean sameBytes(byte[] known, byte[] b, int from) {
    for (int i = 0; i < known.length; i++) {
      if (known[i] != b[from + i]) {
        return false;
      }
    }
    return true;
  }

  /** Decodes a range as UTF-8 (malformed sequences become U+FFFD). */
  String decode(byte[] b, int from, int to) {
    return from == to ? "" : new String(b, from, to - from, StandardCharsets.UTF_8);
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
