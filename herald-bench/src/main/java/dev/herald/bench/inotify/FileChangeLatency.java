package dev.herald.bench.inotify;

import dev.herald.communicator.Communicator;
import dev.herald.communicator.Connection;
import dev.herald.communicator.FileChangeConnection;
import dev.herald.communicator.FileEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Comparator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * File-change latency: from just before a one-byte write to a file in a watched directory until the
 * thread that handles the change sees it. Herald: a {@link FileChangeConnection} in a {@link
 * Communicator} running on its own thread, its handler called on that thread. Baseline: the JDK's
 * {@link WatchService} on the same kind of directory, whose Linux implementation reads inotify on a
 * background thread and queues the key; a consumer thread blocked in {@code take()} is the handler,
 * and the time is taken as soon as {@code take()} returns; it then takes the events and resets the
 * key before the writer may write again (an event arriving before {@code reset()} would be taken
 * with the earlier one, and the writer would wait for it forever). Each side watches its own
 * directory; the writer waits for each change to be seen before the next write, and the two sides
 * alternate in blocks in the same JVM so that drift hits both. Not JMH: the time crosses threads.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -cp herald-bench/target/benchmarks.jar \
 *     dev.herald.bench.inotify.FileChangeLatency [writes]
 * }</pre>
 */
public final class FileChangeLatency {
  private static final int BLOCKS = 10;

  private FileChangeLatency() {}

  /** One watcher of one directory: write, wait until the change is seen, record the time taken. */
  private abstract static class Side implements AutoCloseable {
    final String name;
    final Histogram latencies = new Histogram(3);
    final Semaphore seen = new Semaphore(0);
    volatile long seenAt;
    private final FileChannel file;
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);

    Side(String name, Path directory) throws IOException {
      this.name = name;
      Files.createDirectory(directory);
      file =
          FileChannel.open(
              directory.resolve("file"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** Called on the watcher's thread when it has seen the change (at {@code at}). */
    final void changed(long at) {
      seenAt = at;
      seen.release();
    }

    final void measure(int writes, boolean record) throws IOException, InterruptedException {
      for (int i = 0; i < writes; i++) {
        long start = System.nanoTime();
        file.write(one.clear(), 0);
        if (!seen.tryAcquire(5, TimeUnit.SECONDS)) {
          throw new IllegalStateException(name + " saw no change within 5 s of a write");
        }
        if (record) {
          latencies.recordValue(seenAt - start);
        }
      }
    }

    @Override
    public void close() throws IOException {
      file.close();
    }

    static void join(Thread thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class HeraldSide extends Side {
    private final Communicator communicator = new Communicator();
    private final Thread loop;

    HeraldSide(Path directory) throws IOException {
      super("Herald FileChangeConnection", directory);
      FileChangeConnection files =
          FileChangeConnection.open(
              communicator,
              "bench",
              (c, e) -> {
                if (e.has(FileEvent.WRITE)) {
                  changed(System.nanoTime());
                }
              });
      files.watchFiles(directory, FileEvent.WRITE);
      loop = Thread.ofPlatform().name("herald-loop").start(communicator::run);
    }

    @Override
    public void close() throws IOException {
      communicator.post(() -> communicator.connections().forEach(Connection::remove));
      join(loop);
      communicator.close();
      super.close();
    }
  }

  private static final class NioSide extends Side {
    private final WatchService service = FileSystems.getDefault().newWatchService();
    private final Thread consumer;

    NioSide(Path directory) throws IOException {
      super("JDK WatchService", directory);
      directory.register(service, StandardWatchEventKinds.ENTRY_MODIFY);
      consumer = Thread.ofPlatform().name("nio-consumer").start(this::consume);
    }

    private void consume() {
      try {
        while (true) {
          WatchKey key = service.take();
          long at = System.nanoTime();
          // Before the next write: an event arriving before reset() would be taken with this one.
          key.pollEvents();
          key.reset();
          changed(at);
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // closed: the measurement is over
      }
    }

    @Override
    public void close() throws IOException {
      service.close();
      join(consumer);
      super.close();
    }
  }

  /**
   * Runs both sides, alternating, and prints their latencies and ratios.
   *
   * @param args the number of measured writes per side (default 20,000)
   * @throws Exception if the measurement fails
   */
  public static void main(String[] args) throws Exception {
    int writes = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path base = Files.createTempDirectory("herald-inotify-bench");
    try (HeraldSide herald = new HeraldSide(base.resolve("herald"));
        NioSide nio = new NioSide(base.resolve("nio"))) {
      for (Side side : new Side[] {herald, nio}) {
        side.measure(writes / 4, false); // warm-up
      }
      for (int block = 0; block < BLOCKS; block++) {
        herald.measure(writes / BLOCKS, true);
        nio.measure(writes / BLOCKS, true);
      }
      Histogram h = herald.latencies;
      Histogram n = nio.latencies;
      for (Side side : new Side[] {herald, nio}) {
        Histogram l = side.latencies;
        System.out.printf(
            "%-28s %,d writes: p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, mean %.1f µs%n",
            side.name,
            l.getTotalCount(),
            l.getValueAtPercentile(50) / 1e3,
            l.getValueAtPercentile(90) / 1e3,
            l.getValueAtPercentile(99) / 1e3,
            l.getValueAtPercentile(99.9) / 1e3,
            l.getMean() / 1e3);
      }
      System.out.printf(
          "ratio Herald/JDK: p50 %.2f, p99 %.2f, mean %.2f%n",
          (double) h.getValueAtPercentile(50) / n.getValueAtPercentile(50),
          (double) h.getValueAtPercentile(99) / n.getValueAtPercentile(99),
          h.getMean() / n.getMean());
    } finally {
      try (Stream<Path> all = Files.walk(base)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
