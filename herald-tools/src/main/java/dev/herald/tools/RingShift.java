package dev.herald.tools;

import dev.herald.ring.RingSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A ring size option given as a power of two ({@code --descriptor-shift}, {@code --payload-shift}),
 * checked against the range the ring format allows while parsing, so that a bad value is a usage
 * error naming the option and the range.
 */
sealed class RingShift implements ITypeConverter<Integer>
    permits RingShift.Descriptor, RingShift.Payload {
  private final int min;
  private final int max;

  private RingShift(int min, int max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Integer convert(String value) {
    long shift = Bounds.parse(value);
    if (shift < min || shift > max) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a shift from "
              + min
              + " to "
              + max
              + " (2^"
              + min
              + " to 2^"
              + max
              + ")");
    }
    return (int) shift;
  }

  /** log2 of the descriptor capacity. */
  static final class Descriptor extends RingShift {
    Descriptor() {
      super(RingSize.MIN_DESCRIPTOR_SHIFT, RingSize.MAX_DESCRIPTOR_SHIFT);
    }
  }

  /** log2 of the payload buffer size. */
  static final class Payload extends RingShift {
    Payload() {
      super(RingSize.MIN_PAYLOAD_SHIFT, RingSize.MAX_PAYLOAD_SHIFT);
    }
  }
}
