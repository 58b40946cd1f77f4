package dev.herald.communicator;

import java.util.ArrayList;
import java.util.List;

/**
 * The pauses of a {@link PermanentMessageConnection} between its connection attempts: upstream's
 * {@code pause_durations}, a list of durations in seconds and a cursor into it.
 *
 * <p>The first attempt is made at once, or after {@code |P[0]|} seconds when {@code P[0]} is
 * negative ({@link #initialWait()}). Each attempt takes the next pause, {@code |P[cursor++]|}, as
 * the delay until the following attempt; once the list is used up the last delay stays. The cursor
 * starts at 0, or at 1 when the list has more than one entry and {@code P[0] ≤ 0} ({@code P[0]} is
 * then only the initial wait), and goes back there after a successful connection ({@link
 * #restart()}). A pause of 0 sets no delay: {@code [0]} makes a single attempt.
 *
 * <p>Resulting attempt times, in seconds: {@code "60"} (the default) → 0, 60, 120, ...; {@code
 * "1,2,4,8"} → 0, 1, 3, 7, 15, 23, 31, ...; {@code "-5,1,2"} → 5, 6, 8, 10, 12, ...; {@code
 * ofMicros(-5_000_000)} → 5, 10, 15, ...
 *
 * <pre>{@code
 * PauseDurations pauses = PauseDurations.parse("1,2,4,8,1m");  // bare numbers are seconds
 * PauseDurations later = PauseDurations.parse("-5,1,2");        // first attempt after 5 s
 * }</pre>
 */
public final class PauseDurations {
  /** Upstream's default pause between attempts, one minute, as a string. */
  public static final String DEFAULT = "60";

  /** Upstream's limit on the number of pauses. */
  public static final int MAXIMUM_COUNT = 254;

  private final double[] pauses;
  private int cursor;

  private PauseDurations(double[] pauses) {
    this.pauses = pauses;
    restart();
  }

  /**
   * One pause given in microseconds (upstream's integer constructor): negative waits that long
   * before the first attempt too.
   *
   * @param micros the pause in µs
   * @return the pauses
   */
  public static PauseDurations ofMicros(long micros) {
    return new PauseDurations(new double[] {micros / 1_000_000.0});
  }

  /**
   * Parses upstream's syntax: a comma-separated list of durations, each a sum of numbers (a sign, a
   * decimal fraction) each followed by an optional unit: none or {@code s}/{@code second(s)} for
   * seconds, {@code m}/{@code minute(s)}, {@code h}/{@code hour(s)}, {@code d}/{@code day(s)},
   * {@code w}/{@code week(s)}, {@code month(s)} (30 days), {@code y}/{@code year(s)} (365 days);
   * units are case-insensitive and spaces are allowed around them. Empty entries are skipped; an
   * empty list is {@code [60]}.
   *
   * @param text the list, for example {@code "1,2,4,8"} or {@code "-5,1m,1h"}
   * @return the pauses
   * @throws CommunicatorException {@code INVALID_PARAMETER} with upstream's text for an invalid
   *     duration ({@code pause duration "X" is not valid.}) or more than {@link #MAXIMUM_COUNT}
   */
  public static PauseDurations parse(String text) {
    List<Double> pauses = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      String duration = entry.strip();
      if (duration.isEmpty()) {
        continue;
      }
      if (pauses.size() >= MAXIMUM_COUNT) {
        throw new CommunicatorException(
            CommunicatorException.Kind.INVALID_PARAMETER,
            "too many pause durations, limit is 255.");
      }
      double seconds = seconds(duration);
      if (Double.isNaN(seconds)) {
        throw new CommunicatorException(
            CommunicatorException.Kind.INVALID_PARAMETER,
            "pause duration \"" + duration + "\" is not valid.");
      }
      pauses.add(seconds);
    }
    if (pauses.isEmpty()) {
      pauses.add(60.0);
    }
    return new PauseDurations(pauses.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** One duration in seconds (advgetopt's {@code validator_duration}), NaN when invalid. */
  private static double seconds(String text) {
    double total = 0;
    int i = 0;
    int length = text.length();
    while (i < length) {
      int number = i;
      if (text.charAt(i) == '+' || text.charAt(i) == '-') {
        i++;
      }
      i = skipDigits(text, i);
      if (i < length && text.charAt(i) == '.') {
        i = skipDigits(text, i + 1);
        if (i < length && text.charAt(i) == '.') {
          return Double.NaN; // "2..8"
        }
      }
      double value;
      try {
        value =
            Double.parseDouble((text.charAt(number) == '.' ? "0" : "") + text.substring(number, i));
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
      i = skipSpaces(text, i);
      int unit = i;
      while (i < length && Character.isLetter(text.charAt(i)) && text.charAt(i) < 128) {
        i++;
      }
      double factor = factor(text.substring(unit, i).toLowerCase(java.util.Locale.ROOT));
      if (Double.isNaN(factor)) {
        return Double.NaN;
      }
      total += value * factor;
      i = skipSpaces(text, i);
    }
    return total;
  }

  private static double factor(String unit) {
    return switch (unit) {
      case "", "s", "second", "seconds" -> 1;
      case "m", "minute", "minutes" -> 60;
      case "h", "hour", "hours" -> 3_600;
      case "d", "day", "days" -> 86_400;
      case "w", "week", "weeks" -> 86_400 * 7;
      case "month", "months" -> 86_400 * 30;
      case "y", "year", "years" -> 86_400 * 365;
      default -> Double.NaN;
    };
  }

  private static int skipDigits(String text, int i) {
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * The pauses, in seconds, as given (negative ones included).
   *
   * @return a copy of the list
   */
  public List<Double> pauses() {
    List<Double> list = new ArrayList<>(pauses.length);
    for (double pause : pauses) {
      list.add(pause);
    }
    return List.copyOf(list);
  }

  /**
   * How long to wait before the first attempt (upstream's {@code initial_timer_value}).
   *
   * @return {@code -P[0]} seconds when {@code P[0]} is negative, else 0 (at once)
   */
  public double initialWait() {
    return pauses[0] < 0 ? -pauses[0] : 0;
  }

  /**
   * The delay until the attempt after the one being made now, advancing the cursor (upstream's
   * {@code get_next_delay}).
   *
   * @return {@code |P[cursor]|} seconds, or -1 once the list is used up (keep the last delay)
   */
  public double nextDelay() {
    if (cursor < pauses.length) {
      return Math.abs(pauses[cursor++]);
    }
    return -1;
  }

  /** Moves the cursor back to the start of the list, as after a successful connection. */
  public void restart() {
    cursor = pauses.length == 1 || pauses[0] > 0 ? 0 : 1;
  }

  @Override
  public String toString() {
    return "PauseDurations" + pauses() + " at " + cursor;
  }
}
