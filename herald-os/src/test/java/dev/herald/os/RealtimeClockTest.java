package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.RealtimeClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The critical {@code clock_gettime} reads the same clock as {@code Instant.now()}. */
class RealtimeClockTest {
  private static long instantNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Test
  void readsRealtimeAsEpochNanoseconds() {
    RealtimeClock clock = new RealtimeClock();
    for (int i = 0; i < 1000; i++) {
      long before = instantNanos();
      long read = clock.epochNanos();
      long after = instantNanos();
      // Instant.now() may round to microseconds on some platforms: allow that much on each side.
      assertTrue(
          read >= before - 1_000 && read <= after + 1_000,
          "clock_gettime gave " + read + ", outside [" + before + ", " + after + "]");
    }
  }

  @Test
  void eachThreadWithItsOwnClockSeesTimeMoveForward() throws InterruptedException {
    Thread[] threads = new Thread[4];
    boolean[] ok = new boolean[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int index = t;
      threads[t] =
          Thread.ofPlatform()
              .start(
                  () -> {
                    RealtimeClock clock = new RealtimeClock();
                    long last = clock.epochNanos();
                    boolean forward = true;
                    for (int i = 0; i < 100_000; i++) {
                      long now = clock.epochNanos();
                      // CLOCK_REALTIME may step back under NTP; a step of a second would be news.
                      forward &= now > last - 1_000_000_000L;
                      last = now;
                    }
                    ok[index] = forward && last > 1_600_000_000_000_000_000L;
                  });
    }
    for (int t = 0; t < threads.length; t++) {
      threads[t].join();
      assertTrue(ok[t], "thread " + t + " read an implausible time");
    }
  }
}
