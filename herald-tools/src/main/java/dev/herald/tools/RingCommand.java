package dev.herald.tools;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.EventWatchFormat;
import dev.herald.ring.FollowFrom;
import dev.herald.ring.RingEventHandler;
import dev.herald.ring.RingException;
import dev.herald.ring.RingFollower;
import dev.herald.ring.RingHeader;
import dev.herald.ring.RingLiveness;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingSnapshots;
import dev.herald.ring.RingWriter;
import dev.herald.ring.WriterState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald ring}: inspect, follow, feed and snapshot Monad-compatible event rings.
 *
 * <pre>{@code
 * bin/herald ring write-test /dev/shm/event-recorder-test --rate 100000 &
 * bin/herald ring watch /dev/shm/event-recorder-test
 * bin/herald ring snapshot /dev/shm/event-recorder-test ring.zst
 * bin/herald ring watch ring.zst
 * }</pre>
 */
@Command(
    name = "ring",
    mixinStandardHelpOptions = true,
    description = "Event rings byte-compatible with the Monad execution daemon's (RING01).",
    subcommands = {
      RingCommand.Info.class,
      RingCommand.Watch.class,
      RingCommand.WriteTest.class,
      RingCommand.Snapshot.class,
      RingCommand.Stat.class,
      RingBlocks.class
    })
final class RingCommand {
  RingCommand() {}

  /**
   * A subcommand body that may fail with a ring error (a bad or corrupt ring, a path that is not a
   * regular file, a writer that failed): reported in one line, exit code 1.
   */
  @FunctionalInterface
  interface RingAction {
    void run() throws InterruptedException;
  }

  static int reporting(RingAction action) throws InterruptedException {
    try {
      action.run();
      return 0;
    } catch (RingException | dev.herald.os.OsException e) {
      System.err.println("herald ring: " + e.getMessage());
      return 1;
    }
  }

  /** Opens a live ring file or a zstd snapshot, whichever {@code path} is. */
  static EventRing open(Path path) {
    return RingSnapshots.isSnapshot(path)
        ? EventRing.openSnapshot(path, null)
        : EventRing.openAny(path);
  }

  /** {@code herald ring info}: the header, the control block and the writer. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Prints a ring's header fields, sizes, positions and writer pid.")
  static final class Info implements Callable<Integer> {
    @Parameters(index = "0", description = "Ring file or zstd snapshot.")
    private Path path;

    @Override
    public Integer call() throws InterruptedException {
      return reporting(this::print);
    }

    private void print() {
      PrintStream out = System.out;
      try (EventRing ring = open(path)) {
        RingHeader h = ring.header();
        RingSize s = h.size();
        ContentType type = h.contentType();
        out.printf("file                 %s%s%n", path, ring.isSnapshot() ? " (snapshot)" : "");
        out.printf(
            "content type         %d (%s)%n",
            h.contentTypeCode(), type == null ? "unknown" : type.ringName());
        out.printf("schema hash          %s%n", h.schemaHashHex());
        out.printf(
            "descriptor capacity  %d (%d bytes)%n",
            s.descriptorCapacity(), s.descriptorCapacity() * 64);
        out.printf("payload buffer       %d bytes%n", s.payloadBufSize());
        out.printf("context area         %d bytes%n", s.contextAreaSize());
        out.printf(
            "storage size         %d bytes (file %d)%n", s.storageSize(), ring.fileStatus().size());
        out.printf("last seqno           %d%n", ring.lastSeqno());
        out.printf("next payload byte    %d%n", ring.nextPayloadByte());
        out.printf("buffer window start  %d%n", ring.bufferWindowStart());
        out.printf(
            "writer pid           %s%n",
            ring.isSnapshot()
                ? "none (snapshot)"
                : ring.writerPid().stream()
                    .mapToObj(Long::toString)
                    .findFirst()
                    .orElse("none (no exclusive flock holder)"));
      }
    }
  }

  /** {@code herald ring watch}: eventwatch-style lines for a live ring or a snapshot replay. */
  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = {
        "Prints one line per event (time, name, type, SEQ, LEN, BUF_OFF, BLK, TXN), like",
        "upstream eventwatch. Follows a live ring until its writer exits; replays a snapshot."
      })
  static final class Watch implements Callable<Integer> {
    @Parameters(index = "0", description = "Ring file or zstd snapshot.")
    private Path path;

    @Option(
        names = {"-d", "--dump-payload"},
        description = "Hexdump each payload.")
    private boolean dump;

    @Option(
        names = {"-a", "--from-start"},
        description = {
          "Live rings: start at the oldest event still held (descriptor and payload), not the",
          "newest, and resume at the oldest still held after a gap. Snapshots are always",
          "replayed from their oldest event to their end."
        })
    private boolean fromStart;

    @Option(
        names = {"-n", "--count"},
        defaultValue = "-1",
        description = "Stop after this many events (default: no limit).")
    private long count;

    @Option(
        names = "--period-ms",
        defaultValue = "1",
        description = "Timer period while idle, in ms (default: ${DEFAULT-VALUE}).")
    private long periodMillis;

    @Override
    public Integer call() throws InterruptedException {
      return reporting(this::watch);
    }

    private void watch() {
      try (EventRing ring = open(path)) {
        EventWatchFormat format = new EventWatchFormat(ring, ZoneId.systemDefault());
        PrintStream out = System.out;
        long[] printed = {0};
        AtomicBoolean running = new AtomicBoolean(true);
        StringBuilder dumpText = new StringBuilder();
        RingEventHandler printer =
            new RingEventHandler() {
              @Override
              public void onEvent(EventRing r, EventDescriptor d) {
                if (!running.get()) {
                  return;
                }
                out.println(format.summary(d));
                if (dump) {
                  dumpText.setLength(0);
                  EventWatchFormat.hexdump(r.payload(d), dumpText);
                  out.print(dumpText);
                }
                if (!r.payloadValid(d)) {
                  System.err.println("ERROR: event " + d.seqno() + " payload expired!");
                }
                if (++printed[0] == count) {
                  running.set(false);
                }
              }

              @Override
              public void onGap(long expectedSeqno, long lastSeqno) {
                System.err.println(
                    "ERROR: event gap from "
                        + (expectedSeqno - 1)
                        + " -> "
                        + lastSeqno
                        + ", resetting iterator");
              }
            };
        RingFollower follower =
            new RingFollower(ring, fromStart ? FollowFrom.OLDEST : FollowFrom.NEWEST, printer);
        WriterState end =
            follower.follow(Duration.ofMillis(Math.max(1, periodMillis)), running::get);
        out.flush();
        if (end == WriterState.REPLACED) {
          System.err.println("writer restarted: " + path + " is a new ring now");
        }
      }
    }
  }

  /** {@code herald ring write-test}: a TEST ring fed with TEST_COUNTER events. */
  @Command(
      name = "write-test",
      mixinStandardHelpOptions = true,
      description = "Creates a TEST ring and records TEST_COUNTER events at a chosen rate.")
  static final class WriteTest implements Callable<Integer> {
    @Parameters(
        index = "0",
        defaultValue = "/dev/shm/event-recorder-test",
        description = "Ring file to create (default: ${DEFAULT-VALUE}).")
    private Path path;

    @Option(
        names = {"-r", "--rate"},
        defaultValue = "10000",
        description = "Events per second per writer thread, 0 = as fast as possible.")
    private long rate;

    @Option(
        names = {"-n", "--count"},
        defaultValue = "-1",
        description = "Events per writer thread, then exit (default: until interrupted).")
    private long count;

    @Option(
        names = {"-w", "--writers"},
        defaultValue = "1",
        description = "Writer threads sharing the ring (default: ${DEFAULT-VALUE}).")
    private int writers;

    @Option(
        names = "--descriptor-shift",
        defaultValue = "16",
        description = "log2 of the descriptor capacity (default: ${DEFAULT-VALUE}).")
    private int descriptorShift;

    @Option(
        names = "--payload-shift",
        defaultValue = "27",
        description = "log2 of the payload buffer size (default: ${DEFAULT-VALUE}).")
    private int payloadShift;

    @Override
    public Integer call() throws InterruptedException {
      return reporting(this::write);
    }

    private void write() throws InterruptedException {
      try (RingWriter writer =
          RingWriter.create(
              path, ContentType.TEST, RingSize.ofShifts(descriptorShift, payloadShift))) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[writers];
        // On Ctrl-C, stop the writer threads before the ring is unmapped under them.
        Runnable closeRing = writer::close;
        Thread stopper =
            new Thread(
                () -> {
                  running.set(false);
                  awaitAll(threads);
                  closeRing.run();
                });
        Runtime.getRuntime().addShutdownHook(stopper);
        System.err.printf(
            "writing TEST_COUNTER events to %s (pid %d), %d writer(s)%n",
            path, ProcessHandle.current().pid(), writers);
        try {
          for (int w = 0; w < writers; w++) {
            int id = w;
            threads[w] =
                Thread.ofPlatform()
                    .name("ring-writer-" + w)
                    .start(
                        () -> {
                          try {
                            CounterRecorder.record(
                                writer, id, rate, count, Duration.ZERO, running::get);
                          } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                            running.set(false); // one writer failed: the ring is lost for all
                          }
                        });
          }
          for (Thread t : threads) {
            t.join();
          }
        } finally {
          running.set(false);
          awaitAll(threads); // never unmap the ring under a writer thread
          try {
            Runtime.getRuntime().removeShutdownHook(stopper);
          } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook.
          }
        }
        Throwable t = failure.get();
        if (t != null) {
          throw writerFailed(t);
        }
      }
    }

    /** A writer thread's failure as the one-line error the command reports. */
    private RingException writerFailed(Throwable t) {
      return switch (t) {
        case RingException e -> e;
        case InternalError e ->
            new RingException(
                RingException.Kind.TRUNCATED,
                "a fault occurred writing "
                    + path
                    + ": another process truncated or removed the mapped ring file; the ring is"
                    + " lost, start write-test again",
                e);
        default ->
            new RingException(
                RingException.Kind.IO, "a writer thread failed on " + path + ": " + t, t);
      };
    }

    /** Joins every started thread, even if interrupted meanwhile. */
    private static void awaitAll(Thread[] threads) {
      boolean interrupted = false;
      for (Thread t : threads) {
        while (t != null) {
          try {
            t.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code herald ring snapshot}: a zstd snapshot of a ring as it is now. */
  @Command(
      name = "snapshot",
      mixinStandardHelpOptions = true,
      description = {
        "Writes a zstd snapshot of a ring (readable by upstream tools and 'watch'), under a",
        "temporary name renamed into place; the target must not be the ring itself."
      })
  static final class Snapshot implements Callable<Integer> {
    @Parameters(index = "0", description = "Ring file (or snapshot) to copy.")
    private Path path;

    @Parameters(index = "1", description = "Snapshot file to write.")
    private Path target;

    @Override
    public Integer call() throws InterruptedException {
      return reporting(
          () -> {
            try (EventRing ring = open(path)) {
              RingSnapshots.write(ring, target);
              System.err.printf("%s: %d events -> %s%n", path, ring.lastSeqno(), target);
            }
          });
    }
  }

  /** {@code herald ring stat}: live event rate, byte rate and a follower's lag. */
  @Command(
      name = "stat",
      mixinStandardHelpOptions = true,
      description = {
        "Prints, once per interval: events/s, payload MiB/s, average payload size, and the lag of",
        "a reader following the ring in this process (allocated but not yet read events)."
      })
  static final class Stat implements Callable<Integer> {
    @Parameters(index = "0", description = "Live ring file.")
    private Path path;

    @Option(
        names = {"-i", "--interval-ms"},
        defaultValue = "1000",
        description = "Reporting interval in ms (default: ${DEFAULT-VALUE}).")
    private long intervalMillis;

    @Option(
        names = {"-n", "--count"},
        defaultValue = "-1",
        description = "Stop after this many reports (default: until the writer exits).")
    private long count;

    @Override
    public Integer call() throws InterruptedException {
      return reporting(this::stat);
    }

    private void stat() {
      try (EventRing ring = EventRing.openAny(path);
          dev.herald.os.TimerFd tick =
              dev.herald.os.TimerFd.create(dev.herald.os.TimerFd.Clock.MONOTONIC, 0)) {
        RingFollower follower = new RingFollower(ring, (r, d) -> {});
        // Bounded per tick, so that a writer faster than this reader cannot keep it from reporting.
        int drainPerTick = 1 << 20;
        Duration period = Duration.ofMillis(10);
        tick.arm(period, period);
        long ticksPerReport = Math.max(1, intervalMillis / 10);
        long lastSeqno = ring.lastSeqno();
        long lastBytes = ring.nextPayloadByte();
        long lastTime = System.nanoTime();
        System.out.printf(
            "%12s %10s %10s %10s %10s%n", "seqno", "events/s", "MiB/s", "avg B", "lag");
        long ticks = 0;
        for (long reports = 0; count < 0 || reports < count; ) {
          tick.expirations(); // sleeps until the next 10 ms tick
          follower.drain(drainPerTick);
          if (++ticks % ticksPerReport != 0) {
            continue;
          }
          reports++;
          ring.checkNotTruncated();
          if (RingLiveness.state(ring) != WriterState.ALIVE) {
            System.err.println("writer of " + path + " is gone");
            return;
          }
          long now = System.nanoTime();
          long seqno = ring.lastSeqno();
          long bytes = ring.nextPayloadByte();
          double seconds = (now - lastTime) / 1e9;
          long events = seqno - lastSeqno;
          System.out.printf(
              "%12d %10.0f %10.2f %10.1f %10d%n",
              seqno,
              events / seconds,
              (bytes - lastBytes) / seconds / (1 << 20),
              events == 0 ? 0.0 : (double) (bytes - lastBytes) / events,
              follower.reader().lag());
          lastSeqno = seqno;
          lastBytes = bytes;
          lastTime = now;
        }
      }
    }
  }
}
