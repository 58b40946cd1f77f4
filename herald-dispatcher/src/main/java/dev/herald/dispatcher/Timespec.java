package dev.herald.dispatcher;

import java.time.Instant;

/**
 * A point in time or a duration as upstream's {@code timespec_ex}: whole seconds and 0..999 999 999
 * nanoseconds. Its text is {@code SECONDS.NANOS} with trailing zeros (and a trailing {@code .})
 * removed, e.g. {@code 1715440881.5} or {@code 12}; the parser accepts {@code ws* [+-]? digit+ (
 * "." digit* )? "s"? ws*} and ignores fraction digits after the ninth.
 *
 * <pre>{@code
 * Timespec t = Timespec.parse("1715440881.543723981");
 * message.addParameter("timestamp", t);               // "1715440881.543723981"
 * Timespec.of(Instant.now()).toFullString();           // always 9 fraction digits
 * }</pre>
 *
 * @param seconds whole seconds (floor: {@code -0.5} is {@code -1} second plus 500 000 000 ns)
 * @param nanos nanoseconds, 0 to 999 999 999
 */
public record Timespec(long seconds, int nanos) implements Comparable<Timespec> {
  private static final int NANOS_PER_SECOND = 1_000_000_000;

  /**
   * Validates the fields.
   *
   * @param seconds whole seconds
   * @param nanos nanoseconds, 0 to 999 999 999
   */
  public Timespec {
    if (nanos < 0 || nanos >= NANOS_PER_SECOND) {
      throw new IllegalArgumentException("nanos must be 0..999999999, not " + nanos);
    }
  }

  /**
   * Converts an instant.
   *
   * @param instant the instant
   * @return the same time
   */
  public static Timespec of(Instant instant) {
    return new Timespec(instant.getEpochSecond(), instant.getNano());
  }

  /**
   * Returns this time as an instant.
   *
   * @return the instant
   */
  public Instant toInstant() {
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /**
   * Whether the text is a timespec of this grammar.
   *
   * @param text the text
   * @return true if {@link #parse} accepts it
   */
  public static boolean isValid(String text) {
    return parseOrNull(text) != null;
  }

  /**
   * Parses {@code ws* [+-]? digit+ ( "." digit* )? "s"? ws*}.
   *
   * @param text the text
   * @return the timespec
   * @throws IllegalArgumentException when the text does not follow the grammar
   */
  public static Timespec parse(String text) {
    Timespec value = parseOrNull(text);
    if (value == null) {
      throw new IllegalArgumentException("\"" + text + "\" is not a timespec");
    }
    return value;
  }

  private static Timespec parseOrNull(String text) {
    int n = text.length();
    int i = 0;
    while (i < n && isSpace(text.charAt(i))) {
      i++;
    }
    while (n > i && isSpace(text.charAt(n - 1))) {
      n--;
    }
    boolean negative = false;
    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      negative = text.charAt(i) == '-';
      i++;
    }
    int digitsStart = i;
    long seconds = 0;
    for (; i < n && MessageNames.isDigit(text.charAt(i)); i++) {
      if (seconds > (Long.MAX_VALUE - 9) / 10) {
        return null;
      }
      seconds = seconds * 10 + (text.charAt(i) - '0');
    }
    if (i == digitsStart) {
      return null;
    }
    long nanos = 0;
    if (i < n && text.charAt(i) == '.') {
      int scale = NANOS_PER_SECOND / 10;
      for (i++; i < n && MessageNames.isDigit(text.charAt(i)); i++) {
        nanos += (long) (text.charAt(i) - '0') * scale;
        scale /= 10;
      }
    }
    if (i < n && text.charAt(i) == 's') {
      i++;
    }
    if (i != n) {
      return null;
    }
    if (!negative || (seconds == 0 && nanos == 0)) {
      return new Timespec(seconds, (int) nanos);
    }
    return nanos == 0
        ? new Timespec(-seconds, 0)
        : new Timespec(-seconds - 1, (int) (NANOS_PER_SECOND - nanos));
  }

  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /**
   * Returns {@code SECONDS.NANOS} with trailing zeros and a trailing dot removed.
   *
   * @return the text, e.g. {@code 1715440881.5}
   */
  @Override
  public String toString() {
    String full = toFullString();
    int end = full.length();
    while (full.charAt(end - 1) == '0') {
      end--;
    }
    if (full.charAt(end - 1) == '.') {
      end--;
    }
    return full.substring(0, end);
  }

  /**
   * Returns {@code SECONDS.NNNNNNNNN} with all nine fraction digits.
   *
   * @return the text, e.g. {@code 1715440882.000000123}
   */
  public String toFullString() {
    boolean negative = seconds < 0;
    long whole = seconds;
    long fraction = nanos;
    if (negative && fraction != 0) {
      whole += 1;
      fraction = NANOS_PER_SECOND - fraction;
    }
    StringBuilder text = new StringBuilder(32);
    if (negative) {
      text.append('-');
    }
    text.append(Math.abs(whole)).append('.');
    String digits = Long.toString(fraction);
    text.repeat('0', 9 - digits.length()).append(digits);
    return text.toString();
  }

  @Override
  public int compareTo(Timespec other) {
    int bySeconds = Long.compare(seconds, other.seconds);
    return bySeconds != 0 ? bySeconds : Integer.compare(nanos, other.nanos);
  }
}
