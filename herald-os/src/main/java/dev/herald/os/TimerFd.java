package dev.herald.os;

import dev.herald.os.internal.KernelCounter;
import dev.herald.os.internal.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * A timer that reports expirations through a file descriptor ({@code timerfd_create(2)}).
 *
 * <pre>{@code
 * try (TimerFd tick = TimerFd.create(TimerFd.Clock.MONOTONIC, TimerFd.NONBLOCK)) {
 *   tick.arm(Duration.ofMillis(100), Duration.ofMillis(100)); // first after 100 ms, then every 100 ms
 *   // ... when the fd is readable:
 *   long expirations = tick.expirations();
 * }
 * }</pre>
 */
public final class TimerFd extends FdOwner {
  /** {@code TFD_NONBLOCK}: {@link #expirations()} returns 0 instead of blocking. */
  public static final int NONBLOCK = O_NONBLOCK;

  /** The clock a timer counts on. */
  public enum Clock {
    /** Wall-clock time; jumps when the clock is set. */
    REALTIME(0),
    /** Time since boot, not counting suspend; never jumps. */
    MONOTONIC(1),
    /** Time since boot, counting suspend. */
    BOOTTIME(7);

    private final int id;

    Clock(int id) {
      this.id = id;
    }
  }

  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

  private TimerFd(OwnedFd fd) {
    super(fd);
  }

  /**
   * Creates a disarmed timer; close-on-exec is always set.
   *
   * @param clock the clock to count on
   * @param flags 0 or {@link #NONBLOCK}
   * @return the timer
   */
  public static TimerFd create(Clock clock, int flags) {
    return new TimerFd(
        OwnedFd.adopt(
            OsException.check(
                Libc.TIMERFD_CREATE.call(clock.id, flags | O_CLOEXEC), "timerfd_create", "")));
  }

  /**
   * Arms the timer (relative to now); replaces any earlier setting.
   *
   * @param initial time to the first expiration; must be positive (zero would disarm)
   * @param interval period of later expirations, or {@link Duration#ZERO} for a one-shot timer
   */
  public void arm(Duration initial, Duration interval) {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial expiration must be positive: " + initial);
    }
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative: " + interval);
    }
    set(interval, initial);
  }

  /** Stops the timer; pending expirations stay readable. */
  public void disarm() {
    set(Duration.ZERO, Duration.ZERO);
  }

  private void set(Duration interval, Duration value) {
    MemorySegment spec = Libc.scratch(); // struct itimerspec { it_interval; it_value; }
    spec.set(LONG, 0, interval.getSeconds());
    spec.set(LONG, 8, interval.getNano());
    spec.set(LONG, 16, value.getSeconds());
    spec.set(LONG, 24, value.getNano());
    int n = acquire();
    try {
      OsException.check(
          Libc.TIMERFD_SETTIME.call(n, 0, spec, MemorySegment.NULL), "timerfd_settime", n);
    } finally {
      release();
    }
  }

  /**
   * Time left until the next expiration.
   *
   * @return the remaining time, {@link Duration#ZERO} when disarmed
   */
  public Duration remaining() {
    MemorySegment spec = Libc.scratch();
    int n = acquire();
    try {
      OsException.check(Libc.TIMERFD_GETTIME.call(n, spec), "timerfd_gettime", n);
    } finally {
      release();
    }
    return Duration.ofSeconds(spec.get(LONG, 16), spec.get(LONG, 24));
  }

  /**
   * Reads and resets the number of expirations since the last read.
   *
   * @return the count, or 0 if non-blocking and none has happened
   */
  public long expirations() {
    return KernelCounter.read(this, "read(timerfd)");
  }

  @Override
  public String toString() {
    return "TimerFd(" + fd + ")";
  }
}
