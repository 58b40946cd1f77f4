package dev.herald.tools;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration option such as {@code 14}, {@code 2w}, {@code 36h} or {@code 1d12h}: numbers with the
 * units s, m, h, d, w; a bare number counts days.
 */
final class DayLimit implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)([smhdw]?)");

  @Override
  public Duration convert(String value) {
    String text = value.strip().toLowerCase(java.util.Locale.ROOT);
    Matcher part = PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length() && part.find(at) && part.start() == at) {
      long n;
      try {
        n = Long.parseLong(part.group(1));
        total =
            total.plus(
                switch (part.group(2)) {
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  case "w" -> Duration.ofDays(Math.multiplyExact(n, 7));
                  default -> Duration.ofDays(n);
                });
      } catch (ArithmeticException | NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is too long a duration");
      }
      at = part.end();
    }
    if (text.isEmpty() || at != text.length()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (examples: 14, 14d, 2w, 36h, 1d12h)");
    }
    return total;
  }
}
