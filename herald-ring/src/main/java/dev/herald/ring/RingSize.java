package dev.herald.ring;

/**
 * The three size fields of a ring header ({@code monad_event_ring_size}) and the file layout they
 * imply.
 *
 * <pre>{@code
 * RingSize size = RingSize.ofShifts(16, 27); // 65,536 descriptors, 128 MiB of payload
 * long fileBytes = size.storageSize();         // 140,509,184
 * }</pre>
 *
 * @param descriptorCapacity number of 64-byte descriptors, a power of two in [2^16, 2^32]
 * @param payloadBufSize payload buffer bytes, a power of two in [2^27, 2^40]
 * @param contextAreaSize 0, or a power-of-two multiple of 2 MiB
 */
public record RingSize(long descriptorCapacity, long payloadBufSize, long contextAreaSize) {
  /** Smallest descriptor shift the format allows. */
  public static final int MIN_DESCRIPTOR_SHIFT = 16;

  /** Largest descriptor shift the format allows. */
  public static final int MAX_DESCRIPTOR_SHIFT = 32;

  /** Smallest payload buffer shift the format allows. */
  public static final int MIN_PAYLOAD_SHIFT = 27;

  /** Largest payload buffer shift the format allows. */
  public static final int MAX_PAYLOAD_SHIFT = 40;

  /** The execution daemon's default descriptor shift. */
  public static final int DEFAULT_DESCRIPTOR_SHIFT = 21;

  /** The execution daemon's default payload buffer shift. */
  public static final int DEFAULT_PAYLOAD_SHIFT = 29;

  /**
   * Validates the sizes.
   *
   * @throws RingException of kind {@link RingException.Kind#BAD_SIZE} for a size the format does
   *     not allow
   */
  public RingSize {
    checkPowerOfTwo(
        "descriptor_capacity", descriptorCapacity, MIN_DESCRIPTOR_SHIFT, MAX_DESCRIPTOR_SHIFT);
    checkPowerOfTwo("payload_buf_size", payloadBufSize, MIN_PAYLOAD_SHIFT, MAX_PAYLOAD_SHIFT);
    if (contextAreaSize != 0
        && (contextAreaSize < 0
            || Long.bitCount(contextAreaSize) != 1
            || contextAreaSize % RingLayout.PAGE_2MB != 0)) {
      throw new RingException(
          RingException.Kind.BAD_SIZE,
          "context_area_size "
              + contextAreaSize
              + " is neither 0 nor a power-of-two multiple of 2 MiB");
    }
  }

  /**
   * Sizes from shifts, with no context area.
   *
   * @param descriptorShift log2 of the descriptor capacity (16..32)
   * @param payloadShift log2 of the payload buffer size (27..40)
   * @return the sizes
   */
  public static RingSize ofShifts(int descriptorShift, int payloadShift) {
    if (descriptorShift < 0 || descriptorShift > 62 || payloadShift < 0 || payloadShift > 62) {
      throw new RingException(
          RingException.Kind.BAD_SIZE,
          "shifts " + descriptorShift + "/" + payloadShift + " are out of range");
    }
    return new RingSize(1L << descriptorShift, 1L << payloadShift, 0);
  }

  private static void checkPowerOfTwo(String field, long value, int minShift, int maxShift) {
    if (value <= 0 || Long.bitCount(value) != 1) {
      throw new RingException(
          RingException.Kind.BAD_SIZE, field + " " + value + " is not a power of two");
    }
    int shift = Long.numberOfTrailingZeros(value);
    if (shift < minShift || shift > maxShift) {
      throw new RingException(
          RingException.Kind.BAD_SIZE,
          field + " 2^" + shift + " is outside 2^" + minShift + "..2^" + maxShift);
    }
  }

  /**
   * File offset of the descriptor array.
   *
   * @return 2 MiB
   */
  public long descriptorsOffset() {
    return RingLayout.PAGE_2MB;
  }

  /**
   * File offset of the payload buffer.
   *
   * @return 2 MiB + capacity * 64
   */
  public long payloadOffset() {
    return RingLayout.PAGE_2MB + descriptorCapacity * RingLayout.DESCRIPTOR_SIZE;
  }

  /**
   * File offset of the context area.
   *
   * @return the payload offset + payload buffer size
   */
  public long contextOffset() {
    return payloadOffset() + payloadBufSize;
  }

  /**
   * Bytes the ring occupies in its file ({@code monad_event_ring_calc_storage}).
   *
   * @return header page + descriptors + payload buffer + context area
   */
  public long storageSize() {
    return contextOffset() + contextAreaSize;
  }
}
