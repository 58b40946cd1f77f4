package dev.herald.ring.exec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string from an EXEC payload: a hash, an address, a bloom filter, calldata. Two
 * are equal when their bytes are; {@link #toString()} is the {@code 0x}-prefixed lowercase hex form
 * upstream prints.
 *
 * <pre>{@code
 * Bytes hash = Bytes.ofHex("0x7a7d7c23...");
 * if (end.ethBlockHash().equals(hash)) { ... }
 * }</pre>
 */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();

  /** The empty byte string. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Copies an array.
   *
   * @param bytes the bytes
   * @return the byte string
   */
  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** Takes ownership of an array nobody else holds. */
  static Bytes wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes);
  }

  /**
   * Parses {@code 0x}-prefixed (or bare) hex.
   *
   * @param hex an even number of hex digits
   * @return the byte string
   * @throws IllegalArgumentException if the text is not hex
   */
  public static Bytes ofHex(String hex) {
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    return wrap(HEX.parseHex(digits));
  }

  /**
   * The number of bytes.
   *
   * @return the length
   */
  public int length() {
    return bytes.length;
  }

  /**
   * One byte.
   *
   * @param index 0 to {@code length() - 1}
   * @return the byte
   */
  public byte get(int index) {
    return bytes[index];
  }

  /**
   * Whether every byte is zero (upstream's "absent" for roots and addresses).
   *
   * @return true if all bytes are zero
   */
  public boolean isZero() {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A copy of the bytes.
   *
   * @return a new array
   */
  public byte[] toArray() {
    return bytes.clone();
  }

  /**
   * Lowercase hex without a prefix.
   *
   * @return two digits per byte
   */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(b.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The {@code 0x}-prefixed lowercase hex form, {@code "0x"} when empty. */
  @Override
  public String toString() {
    return "0x" + hex();
  }
}
