package dev.herald.dispatcher;

/**
 * The integer grammar of typed parameters: an optional sign, then an optional base prefix ({@code
 * 0x}/{@code 0X} hexadecimal, {@code 0b} binary, {@code 0o} octal, {@code 0d} decimal; the letter
 * may be upper case), then digits; the value must fit a signed 64-bit integer. {@code 007} is
 * decimal 7.
 *
 * <pre>{@code
 * IntegerText.parse("-0x1F");  // -31
 * IntegerText.isValid("12a");  // false
 * }</pre>
 */
public final class IntegerText {
  private IntegerText() {}

  /**
   * Whether the text is an integer of this grammar.
   *
   * @param text the text
   * @return true if {@link #parse} accepts it
   */
  public static boolean isValid(String text) {
    return parseOrNull(text) != null;
  }

  /**
   * Converts the text.
   *
   * @param text the text
   * @return the value
   * @throws NumberFormatException when the text is not an integer of this grammar
   */
  public static long parse(String text) {
    Long value = parseOrNull(text);
    if (value == null) {
      throw new NumberFormatException("\"" + text + "\" is not an integer");
    }
    return value;
  }

  private static Long parseOrNull(String text) {
    int i = 0;
    int n = text.length();
    boolean negative = false;
    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      negative = text.charAt(i) == '-';
      i++;
    }
    int radix = 10;
    if (i + 1 < n && text.charAt(i) == '0') {
      switch (text.charAt(i + 1)) {
        case 'x', 'X' -> radix = 16;
        case 'b', 'B' -> radix = 2;
        case 'o', 'O' -> radix = 8;
        case 'd', 'D' -> radix = 10;
        default -> radix = 0;
      }
      if (radix == 0) {
        radix = 10;
      } else {
        i += 2;
      }
    }
    if (i == n) {
      return null;
    }
    // Accumulate the magnitude negatively: Long.MIN_VALUE has no positive counterpart.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long value = 0;
    for (; i < n; i++) {
      int digit = Character.digit(text.charAt(i), radix);
      if (digit < 0 || text.charAt(i) > 'f') {
        return null;
      }
      if (value < limit / radix) {
        return null;
      }
      value *= radix;
      if (value < limit + digit) {
        return null;
      }
      value -= digit;
    }
    return negative ? value : -value;
  }
}
