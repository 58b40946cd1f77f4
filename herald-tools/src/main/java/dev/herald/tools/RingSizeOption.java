package dev.herald.tools;

import dev.herald.ring.RingSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A ring size given as {@code DESC_SHIFT:PAYLOAD_SHIFT} ({@code --size 20:30}), each checked
 * against the range the format allows while parsing.
 */
final class RingSizeOption implements ITypeConverter<RingSize> {
  @Override
  public RingSize convert(String value) {
    String[] parts = value.split(":", -1);
    if (parts.length != 2) {
      throw new TypeConversionException(
          "'" + value + "' is not DESC_SHIFT:PAYLOAD_SHIFT (e.g. 20:30)");
    }
    int descriptors = new RingShift.Descriptor().convert(parts[0]);
    int payload = new RingShift.Payload().convert(parts[1]);
    return RingSize.ofShifts(descriptors, payload);
  }
}
