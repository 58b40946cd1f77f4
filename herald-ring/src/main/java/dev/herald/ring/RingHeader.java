package dev.herald.ring;

import static dev.herald.ring.RingLayout.HDR_CONTENT_TYPE;
import static dev.herald.ring.RingLayout.HDR_CONTEXT_AREA_SIZE;
import static dev.herald.ring.RingLayout.HDR_DESCRIPTOR_CAPACITY;
import static dev.herald.ring.RingLayout.HDR_MAGIC;
import static dev.herald.ring.RingLayout.HDR_PAYLOAD_BUF_SIZE;
import static dev.herald.ring.RingLayout.HDR_SCHEMA_HASH;
import static dev.herald.ring.RingLayout.LONG;
import static dev.herald.ring.RingLayout.MAGIC;
import static dev.herald.ring.RingLayout.SHORT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The fixed part of a ring header: content type, schema hash and sizes (the control fields change
 * all the time and are read from the live mapping instead).
 *
 * <pre>{@code
 * RingHeader h = ring.header();
 * System.out.println(h.contentTypeCode() + " " + h.schemaHashHex() + " " + h.size());
 * }</pre>
 *
 * @param contentTypeCode the header's {@code content_type}, possibly a code Herald does not know
 * @param schemaHash the 32 hash bytes
 * @param size the sizes
 */
public record RingHeader(int contentTypeCode, byte[] schemaHash, RingSize size) {
  /**
   * Copies the hash.
   *
   * @param contentTypeCode the content type code
   * @param schemaHash 32 bytes
   * @param size the sizes
   */
  public RingHeader {
    if (schemaHash.length != 32) {
      throw new IllegalArgumentException("schema hash must be 32 bytes");
    }
    schemaHash = schemaHash.clone();
  }

  /**
   * The header a new ring of this type gets.
   *
   * @param type the content type
   * @param size the sizes
   * @return the header
   */
  public static RingHeader of(ContentType type, RingSize size) {
    return new RingHeader(type.code(), type.schemaHash(), size);
  }

  /**
   * Parses the first 64 bytes of a ring file.
   *
   * @param header at least 64 bytes from the ring's start
   * @param file the file name, for messages
   * @return the header
   * @throws RingException for a wrong magic ({@link RingException.Kind#BAD_MAGIC}) or sizes the
   *     format does not allow ({@link RingException.Kind#BAD_SIZE})
   */
  static RingHeader read(MemorySegment header, String file) {
    byte[] magic = header.asSlice(HDR_MAGIC, MAGIC.length).toArray(RingLayout.BYTE);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new RingException(
          RingException.Kind.BAD_MAGIC,
          file
              + " does not contain current magic number RING01 (found "
              + HexFormat.of().formatHex(magic)
              + "): not an event ring, or one of another format version");
    }
    int type = Short.toUnsignedInt(header.get(SHORT, HDR_CONTENT_TYPE));
    byte[] hash = header.asSlice(HDR_SCHEMA_HASH, 32).toArray(RingLayout.BYTE);
    try {
      RingSize size =
          new RingSize(
              header.get(LONG, HDR_DESCRIPTOR_CAPACITY),
              header.get(LONG, HDR_PAYLOAD_BUF_SIZE),
              header.get(LONG, HDR_CONTEXT_AREA_SIZE));
      return new RingHeader(type, hash, size);
    } catch (RingException e) {
      throw new RingException(e.kind(), file + ": " + e.getMessage(), e);
    }
  }

  /** Writes magic, type, hash and sizes; the control block is left as it is (zero when new). */
  void write(MemorySegment header) {
    MemorySegment.copy(MemorySegment.ofArray(MAGIC), 0, header, HDR_MAGIC, MAGIC.length);
    header.set(SHORT, HDR_CONTENT_TYPE, (short) contentTypeCode);
    MemorySegment.copy(MemorySegment.ofArray(schemaHash), 0, header, HDR_SCHEMA_HASH, 32);
    header.set(LONG, HDR_DESCRIPTOR_CAPACITY, size.descriptorCapacity());
    header.set(LONG, HDR_PAYLOAD_BUF_SIZE, size.payloadBufSize());
    header.set(LONG, HDR_CONTEXT_AREA_SIZE, size.contextAreaSize());
  }

  /**
   * The content type, if Herald knows the code.
   *
   * @return the type, or null
   */
  public ContentType contentType() {
    return ContentType.ofCode(contentTypeCode);
  }

  /**
   * The schema hash.
   *
   * @return a fresh copy of the 32 bytes
   */
  @Override
  public byte[] schemaHash() {
    return schemaHash.clone();
  }

  /**
   * The schema hash in lower-case hex.
   *
   * @return 64 hex digits
   */
  public String schemaHashHex() {
    return HexFormat.of().formatHex(schemaHash);
  }

  /**
   * Checks that this ring carries {@code required} content with its schema hash ({@code
   * monad_event_ring_check_content_type}).
   *
   * @param required the content type the caller can decode
   * @param file the file name, for messages
   * @throws RingException of kind {@link RingException.Kind#CONTENT_TYPE} or {@link
   *     RingException.Kind#SCHEMA_HASH}
   */
  public void checkContentType(ContentType required, String file) {
    if (contentTypeCode != required.code()) {
      throw new RingException(
          RingException.Kind.CONTENT_TYPE,
          file
              + ": required event ring content type is "
              + required.code()
              + " ("
              + required.ringName()
              + "), file contains "
              + contentTypeCode);
    }
    if (!required.schemaHashEquals(schemaHash)) {
      throw new RingException(
          RingException.Kind.SCHEMA_HASH,
          file
              + ": event ring schema hash does not match (file "
              + schemaHashHex()
              + ", expected "
              + HexFormat.of().formatHex(required.schemaHash())
              + "): writer and reader were built from different schema versions");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RingHeader h
        && h.contentTypeCode == contentTypeCode
        && Arrays.equals(h.schemaHash, schemaHash)
        && h.size.equals(size);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(schemaHash) * 31 + size.hashCode() + contentTypeCode;
  }

  @Override
  public String toString() {
    return "RingHeader[type=" + contentTypeCode + ", hash=" + schemaHashHex() + ", " + size + "]";
  }
}
