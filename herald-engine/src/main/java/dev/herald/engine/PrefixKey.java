package dev.herald.engine;

import java.util.Arrays;

/** A subscription prefix as a set key (arrays compare by identity). */
record PrefixKey(byte[] bytes) {
  static PrefixKey of(byte[] message, int from) {
    return new PrefixKey(Arrays.copyOfRange(message, from, message.length));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PrefixKey that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "PrefixKey" + Arrays.toString(bytes);
  }
}
