package dev.herald.tools;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A TCP port option: 1 to 65535. */
final class PortNumber implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    long port = Bounds.parse(value);
    if (port < 1 || port > 65_535) {
      throw new TypeConversionException("'" + value + "' is not a TCP port (1 to 65535)");
    }
    return (int) port;
  }
}
