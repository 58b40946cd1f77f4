package dev.herald.ring;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process for cross-process tests: creates a TEST ring (a {@link WriterThreads#SHARED}
 * writer, or the mode named by an optional third argument), records {@code count} TEST_COUNTER
 * events (writer id 9, counters 1..count), prints {@code done}, then waits until its standard input
 * closes (or it is killed) before closing the writer.
 */
public final class CounterWriterProcess {
  private CounterWriterProcess() {}

  /**
   * Entry point.
   *
   * @param args ring path, event count, optionally a {@link WriterThreads} name
   * @throws IOException if stdin fails
   */
  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[0]);
    long count = Long.parseLong(args[1]);
    WriterThreads threads = args.length > 2 ? WriterThreads.valueOf(args[2]) : WriterThreads.SHARED;
    try (RingWriter writer =
        RingWriter.create(path, ContentType.TEST, TestRings.SMALLEST, threads)) {
      System.out.println("created");
      System.out.flush();
      Reservation r = writer.newReservation();
      for (long n = 1; n <= count; n++) {
        TestRings.counter(writer, r, 9, n);
        if ((n & 1023) == 0) {
          Thread.yield(); // let the reader interleave on a 2-core machine
        }
      }
      System.out.println("done");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
