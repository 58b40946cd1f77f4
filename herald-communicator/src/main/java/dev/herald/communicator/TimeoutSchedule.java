package dev.herald.communicator;

import java.time.Instant;

/**
 * A connection's timeout: a recurring delay on the monotonic clock and a one-shot date on the wall
 * clock (upstream's {@code f_timeout_delay}, {@code f_timeout_next_date} and {@code
 * f_timeout_date}). Times in nanoseconds are {@link System#nanoTime()} values ({@code
 * CLOCK_MONOTONIC} on Linux); {@link #NEVER} means no timeout.
 */
final class TimeoutSchedule {
  /** The due time of a schedule that never fires; larger than any real due time. */
  static final long NEVER = Long.MAX_VALUE;

  /** Beyond this many microseconds (about 73 years) a wait is clamped, so sums cannot overflow. */
  private static final long LONGEST_MICROS = Long.MAX_VALUE / 4_000;

  private long delayMicros = -1;
  private long delayNanos;

  /** The next tick of the delay, on the monotonic clock; meaningful when the delay is set. */
  private long nextTick;

  private long dateMicros = -1;

  long delayMicros() {
    return delayMicros;
  }

  long dateMicros() {
    return dateMicros;
  }

  /** Sets the delay and anchors its ticks at {@code now}: {@code now + k * delay}, k ≥ 1. */
  void setDelay(long micros, long now) {
    delayMicros = micros;
    if (micros != -1) {
      delayNanos = nanos(micros);
      nextTick = now + delayNanos;
    }
  }

  void setDate(long micros) {
    dateMicros = micros;
  }

  /**
   * When this schedule is due next (upstream's {@code get_timeout_timestamp}): the date, converted
   * to the monotonic clock, if one is set, else the next tick of the delay, else {@link #NEVER}.
   *
   * @param now the monotonic time
   * @param wallNow the wall-clock time in microseconds, read at the same moment
   */
  long due(long now, long wallNow) {
    if (dateMicros != -1) {
      long ahead = Math.clamp(dateMicros - wallNow, -LONGEST_MICROS, LONGEST_MICROS);
      return now + ahead * 1_000;
    }
    return delayMicros != -1 ? nextTick : NEVER;
  }

  /**
   * Moves the next tick past {@code now} after a timeout fired (upstream's {@code
   * calculate_next_tick}): missed ticks collapse into the one that fired, and ticks stay on {@code
   * start + k * delay}. Upstream rounds the number of missed ticks up, so when {@code now} falls
   * exactly on a tick the next tick equals {@code now} and fires a second time; here the next tick
   * is always after {@code now}.
   */
  void advance(long now) {
    if (delayMicros == -1 || now < nextTick) {
      return;
    }
    long missed = (now - nextTick) / delayNanos + 1;
    nextTick += missed * delayNanos;
  }

  /** The wall-clock time in microseconds since the epoch (upstream's {@code get_current_date}). */
  static long wallMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  private static long nanos(long micros) {
    return Math.min(micros, LONGEST_MICROS) * 1_000;
  }
}
