package dev.herald.tools;

import java.io.PrintStream;

/** Timestamped, aligned demo output: {@code +0.251s timer tick #1}. */
final class DemoLog {
  private final PrintStream out;
  private final long start = System.nanoTime();

  DemoLog(PrintStream out) {
    this.out = out;
  }

  /** Prints one line for {@code source}; safe from any thread. */
  void line(String source, String text) {
    double seconds = (System.nanoTime() - start) / 1e9;
    synchronized (out) {
      out.printf("  +%6.3fs  %-9s %s%n", seconds, source, text);
      out.flush();
    }
  }

  /** Prints a heading. */
  void heading(String text) {
    synchronized (out) {
      out.println();
      out.println("== " + text);
      out.flush();
    }
  }

  PrintStream out() {
    return out;
  }
}
