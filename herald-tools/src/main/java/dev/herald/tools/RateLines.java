package dev.herald.tools;

import dev.herald.nats.TransferStats;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Prints a bridge's {@link TransferStats} as one line a second on stderr ({@code ring export},
 * {@code ring import}), on its own thread, until closed.
 */
final class RateLines implements AutoCloseable {
  private final Thread thread;

  private RateLines(String prefix, Supplier<TransferStats> stats, PrintStream err) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("herald-rates")
            .start(
                () -> {
                  TransferStats previous = stats.get();
                  long then = System.nanoTime();
                  while (true) {
                    try {
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      return;
                    }
                    TransferStats now = stats.get();
                    long at = System.nanoTime();
                    err.println(prefix + now.line(previous, at - then));
                    previous = now;
                    then = at;
                  }
                });
  }

  /** Starts printing {@code prefix} and a line of {@code stats} every second. */
  static RateLines start(String prefix, Supplier<TransferStats> stats, PrintStream err) {
    return new RateLines(prefix, stats, err);
  }

  @Override
  public void close() {
    thread.interrupt();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
