package dev.herald.tools;

import dev.herald.ring.Reservation;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestCounter;
import dev.herald.ring.TestEventType;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Records {@code TEST_COUNTER} events 1, 2, 3, ... from one writer thread at a chosen rate, for
 * {@code herald ring write-test} and the demo.
 */
final class CounterRecorder {
  /** Naps shorter than this are skipped: the writer catches up in a burst instead. */
  private static final long MIN_PARK_NANOS = 50_000;

  private CounterRecorder() {}

  /**
   * Records until {@code count} events are written or {@code duration} has passed.
   *
   * @param writer the ring's writer
   * @param writerId the {@code writer_id} byte of each event
   * @param ratePerSecond events per second, 0 for as fast as possible
   * @param count events to write, negative for no limit
   * @param duration how long to write, {@link Duration#ZERO} for no limit
   */
  static void record(
      RingWriter writer, int writerId, long ratePerSecond, long count, Duration duration) {
    record(writer, writerId, ratePerSecond, count, duration, () -> true);
  }

  /**
   * Records until {@code count} events are written, {@code duration} has passed or {@code running}
   * says stop (checked after every event).
   *
   * @param writer the ring's writer
   * @param writerId the {@code writer_id} byte of each event
   * @param ratePerSecond events per second, 0 for as fast as possible
   * @param count events to write, negative for no limit
   * @param duration how long to write, {@link Duration#ZERO} for no limit
   * @param running false once the recorder should stop
   */
  static void record(
      RingWriter writer,
      int writerId,
      long ratePerSecond,
      long count,
      Duration duration,
      BooleanSupplier running) {
    Reservation r = writer.newReservation();
    long intervalNanos = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
    long limitNanos = duration.toNanos();
    long start = System.nanoTime();
    long next = start;
    for (long n = 1; count < 0 || n <= count; n++) {
      writer
          .reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE)
          .putByte(TestCounter.WRITER_ID, (byte) writerId)
          .putLong(TestCounter.COUNTER, n)
          .commit();
      if (!running.getAsBoolean() || (limitNanos > 0 && System.nanoTime() - start >= limitNanos)) {
        return;
      }
      if (intervalNanos > 0) {
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait > MIN_PARK_NANOS) {
          LockSupport.parkNanos(wait);
        }
      }
    }
  }
}
