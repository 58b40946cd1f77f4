package dev.herald.bench.ring;

import dev.herald.os.internal.RealtimeClock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The clock every RING01 descriptor carries, read four ways: {@code Instant.now()}, Herald's
 * critical FFM {@code clock_gettime(CLOCK_REALTIME)}, {@code System.nanoTime()} (the monotonic
 * clock through the same vDSO, what a calibrated base would cost) and {@code currentTimeMillis}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class ClockBenchmark {
  private final RealtimeClock clock = new RealtimeClock();

  /**
   * {@code Instant.now()} as epoch nanoseconds.
   *
   * @return the time
   */
  @Benchmark
  public long instantNow() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * Herald's critical downcall.
   *
   * @return the time
   */
  @Benchmark
  public long realtimeClock() {
    return clock.epochNanos();
  }

  /**
   * The monotonic clock.
   *
   * @return the time
   */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  /**
   * Milliseconds.
   *
   * @return the time
   */
  @Benchmark
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }
}
