package dev.herald.bench.communicator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The server process's side of the benchmark's control channel: the server prints its port, then
 * answers one-line commands from the driver on stdin, on a thread of its own, so that the server's
 * loop does nothing but serve clients.
 *
 * <ul>
 *   <li>{@code expect N}: counts accepted clients from 0 again and stamps the moment the N-th one
 *       is accepted;
 *   <li>{@code accepted}: answers {@code COUNT STAMP}, the stamp from {@link System#nanoTime()}
 *       ({@code CLOCK_MONOTONIC}, the same clock in every process), 0 until reached;
 *   <li>{@code memory}: collects garbage, then answers {@code HEAP_BYTES RSS_KIB};
 *   <li>{@code quit} or end of input: exits.
 * </ul>
 */
final class ServerProbe {
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile int target = Integer.MAX_VALUE;
  private volatile long reachedAt;
  private int summaries;

  /** A client was accepted and its connection set up (called by the server's loop). */
  void accepted() {
    if (accepted.incrementAndGet() == target) {
      reachedAt = System.nanoTime();
    }
  }

  /**
   * Tells the driver where the server listens and starts answering its commands.
   *
   * @param transport what the server runs on, for the driver's report
   * @param port the server's loopback port
   */
  void serve(String transport, int port) {
    System.out.println("transport " + transport);
    System.out.println("port " + port);
    System.out.flush();
    Thread control = new Thread(this::answer, "bench-control");
    control.setDaemon(true);
    control.start();
  }

  private void answer() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.split(" ");
        switch (words[0]) {
          case "expect" -> {
            target = Integer.MAX_VALUE;
            reachedAt = 0;
            accepted.set(0);
            target = Integer.parseInt(words[1]);
            System.out.println("ok");
          }
          case "accepted" -> System.out.println(accepted.get() + " " + reachedAt);
          case "memory" -> {
            System.out.println(heapAfterGc() + " " + rssKib());
            nativeMemorySummary();
          }
          case "quit" -> {
            System.out.flush();
            Runtime.getRuntime().halt(0);
          }
          default -> System.out.println("unknown " + line);
        }
        System.out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().halt(0);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * With {@code -Dbench.nmt=PREFIX} (and {@code -XX:NativeMemoryTracking=summary}), writes the
   * JVM's native memory summary and the resident set's parts to PREFIX-1.txt, PREFIX-2.txt, ...
   */
  private void nativeMemorySummary() {
    String prefix = System.getProperty("bench.nmt");
    if (prefix == null) {
      return;
    }
    try {
      Object summary =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "vmNativeMemory",
                  new Object[] {new String[] {"summary"}},
                  new String[] {String[].class.getName()});
      String rss =
          String.join(
              "\n",
              Files.readAllLines(Path.of("/proc/self/status")).stream()
                  .filter(line -> line.startsWith("Rss"))
                  .toList());
      Files.writeString(
          Path.of(prefix + "-" + ++summaries + ".txt"), rss + "\n" + String.valueOf(summary));
    } catch (JMException | IOException e) {
      System.err.println("no native memory summary: " + e);
    }
  }

  private static long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("/proc/self/status has no VmRSS line");
  }
}
