package dev.herald.tools;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Numeric options with a lower bound, checked while parsing so that a bad value is a usage error
 * naming the option: {@code -w 0}, {@code -n -5}.
 */
sealed class Bounds implements ITypeConverter<Long> permits Bounds.AtLeastOne, Bounds.NotNegative {
  private final long min;
  private final String what;

  private Bounds(long min, String what) {
    this.min = min;
    this.what = what;
  }

  @Override
  public Long convert(String value) {
    long n = parse(value);
    if (n < min) {
      throw new TypeConversionException("'" + value + "' is not " + what);
    }
    return n;
  }

  static long parse(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
  }

  /** 1 or more: counts, threads, periods. */
  static final class AtLeastOne extends Bounds {
    AtLeastOne() {
      super(1, "1 or more");
    }
  }

  /** 0 or more: rates where 0 means unpaced, waits. */
  static final class NotNegative extends Bounds {
    NotNegative() {
      super(0, "0 or more");
    }
  }
}
