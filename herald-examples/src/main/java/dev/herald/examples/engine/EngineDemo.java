package dev.herald.examples.engine;

import dev.herald.engine.App;
import dev.herald.engine.PyEvents;
import dev.herald.engine.QueueStats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * The engine's part of {@code herald demo}: the upstream example with its real Python plugin (when
 * {@code /usr/bin/python3} has {@code zmq}), then the upstream load pipeline with a live rate.
 *
 * <pre>{@code
 * EngineDemo.run(Duration.ofSeconds(4), System.out);
 * }</pre>
 */
public final class EngineDemo {
  private EngineDemo() {}

  /**
   * Runs the demo for about {@code duration} (the example part runs to its end first), printing a
   * timestamped line per event or measurement to {@code out}.
   *
   * @param duration how long the load part runs
   * @param out where the lines go
   * @throws InterruptedException if interrupted
   */
  public static void run(Duration duration, PrintStream out) throws InterruptedException {
    long start = System.nanoTime();
    Line line = text -> print(out, start, text);
    if (PyEvents.available()) {
      line.print("example: 2 Java plugins + 1 Python process (pyevents/events.py) over TCP");
      ExampleApp.Result result = ExampleApp.run(freePort(), freePort(), freePort(), line::print);
      line.print(
          "example done: python exited with 0, " + result.droppedEvents() + " events dropped");
    } else {
      line.print("example skipped: " + PyEvents.PYTHON + " cannot import zmq (python3-zmq)");
    }
    line.print("load: producer -> operator -> accumulator, 100-1000 byte events, no pacing");
    App app = new App(freePort(), freePort());
    LoadTest load = LoadTest.register(app, Long.MAX_VALUE, 100, 1000);
    Thread runner = Thread.ofPlatform().name("engine-demo-app").start(app::run);
    long last = 0;
    long lastAt = System.nanoTime();
    long end = lastAt + duration.toNanos();
    while (System.nanoTime() < end) {
      Thread.sleep(500);
      long now = System.nanoTime();
      long received = load.received();
      double rate = (received - last) * 1e9 / (now - lastAt);
      long queued = app.queueStats().stream().mapToLong(QueueStats::queued).sum();
      line.print(
          String.format(
              "load: %,12d events through the pipeline, %,11.0f events/s, %,6d queued, %d dropped",
              received, rate, queued, app.droppedEvents()));
      last = received;
      lastAt = now;
    }
    app.close();
    runner.join();
    line.print("load stopped: every thread ended and every port was released");
  }

  @FunctionalInterface
  private interface Line {
    void print(String text);
  }

  private static void print(PrintStream out, long start, String text) {
    synchronized (out) {
      out.printf("  +%6.3fs  %-9s %s%n", (System.nanoTime() - start) / 1e9, "engine", text);
      out.flush();
    }
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }
}
