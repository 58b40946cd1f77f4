package dev.herald.tools;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.EventWatchFormat;
import dev.herald.ring.RingEventHandler;
import dev.herald.ring.RingException;
import dev.herald.ring.RingFollower;
import dev.herald.ring.RingHeader;
import dev.herald.ring.RingLiveness;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingSnapshots;
import dev.herald.ring.RingWriter;
import dev.herald.ring.WriterState;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      RingBlocks.class,
      RingExportCommand.class,
      RingImportCommand.class
    })
final class RingCommand {
  RingCommand() {}

  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

  /**
   * Opens a live ring file or a zstd snapshot, whichever {@code path} is; a directory or a zstd
   * file that is no readable snapshot is named as such rather than as a ring with a bad magic.
   */
  static EventRing open(Path path) {
    return open(path, null);
  }

  /**
   * As {@link #open(Path)}, refusing a ring whose content type is not {@code type} (any when null).
   */
  static EventRing open(Path path, ContentType type) {
    if (Files.isDirectory(path)) {
      throw new RingException(
          RingException.Kind.NOT_REGULAR_FILE,
          path + " is a directory: give a ring file (e.g. in /dev/shm) or a zstd snapshot");
    }
    if (RingSnapshots.isSnapshot(path)) {
      return EventRing.openSnapshot(path, type);
    }
    if (startsWithZstdMagic(path)) {
      throw new RingException(
          RingException.Kind.NOT_A_SNAPSHOT,
          path
              + " is a zstd file but not a readable ring snapshot (corrupt, truncated, or"
              + " compressed from something else than a ring)");
    }
    return type == null ? EventRing.openAny(path) : EventRing.open(path, type);
  }

  /**
   * Refuses a ring of a known content type whose schema hash is not this build's, as upstream does:
   * its event codes may mean other events (an older EXEC schema shifts every code after
   * RECORD_ERROR), so labelling them with this build's names would mislead.
   */
  static void requireCurrentSchema(EventRing ring, Path path) {
    RingHeader h = ring.header();
    ContentType type = h.contentType();
    if (type != null && !Arrays.equals(type.schemaHash(), h.schemaHash())) {
      throw new RingException(
          RingException.Kind.SCHEMA_HASH,
          path
              + " holds "
              + type.ringName()
              + " events of another schema version (hash "
              + h.schemaHashHex()
              + ", this build reads "
              + HexFormat.of().formatHex(type.schemaHash())
              + "): use a matching Herald build, or 'herald ring info --any-schema' for its header");
    }
  }

  private static boolean startsWithZstdMagic(Path path) {
    if (!Files.isRegularFile(path)) {
      return false; // never open a FIFO to look: it would block
    }
    try (InputStream in = Files.newInputStream(path)) {
      return Arrays.equals(in.readNBytes(4), ZSTD_MAGIC);
    } catch (IOException e) {
      return false; // opening it as a ring reports the real problem
    }
  }

  /** {@code herald ring info}: the header, the control block and the writer. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Prints a ring's header fields, sizes, positions and writer pid.")
  static final class Info implements Callable<Integer> {
    @Parameters(index = "0", description = "Ring file or zstd snapshot.")
    private Path path;

    @Option(
        names = "--any-schema",
        description = "Show the header of a ring whose schema hash is not this build's.")
    private boolean anySchema;

    @Override
    public Integer call() {
      PrintStream out = System.out;
      try (EventRing ring = open(path)) {
        if (!anySchema) {
          requireCurrentSchema(ring, path);
        }
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
      return 0;
    }
  }

  /** {@code herald ring watch}: eventwatch-style lines for a live ring or a snapshot replay. */
  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description =
          "Prints one line per event (time, name, type, SEQ, LEN, BUF_OFF, BLK, TXN), like "
              + "upstream eventwatch. Follows a live ring until its writer exits; replays a "
              + "snapshot.")
  static final class Watch implements Callable<Integer> {
    @Parameters(index = "0", description = "Ring file or zstd snapshot.")
    private Path path;

    @Option(
        names = {"-d", "--dump-payload"},
        description = "Hexdump each payload.")
    private boolean dump;

    @Option(
        names = "--decode",
        description =
            "EXEC rings: append each event's decoded fields (key=value) to its line, after ' | '.")
    private boolean decode;

    @Mixin private FollowOptions follow;

    @Override
    public Integer call() {
      try (ShutdownGate gate = ShutdownGate.install();
          EventRing ring = open(path)) {
        requireCurrentSchema(ring, path);
        EventWatchFormat format = new EventWatchFormat(ring, ZoneId.systemDefault());
        PrintStream out = System.out;
        ExecWatchDecoder decoder = decode ? ExecWatchDecoder.forRing(ring, path, System.err) : null;
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
                out.println(
                    decoder == null ? format.summary(d) : decoder.line(r, d, format.summary(d)));
                if (dump) {
                  dumpText.setLength(0);
                  EventWatchFormat.hexdump(r.payload(d), dumpText);
                  out.print(dumpText);
                }
                if (!r.payloadValid(d)) {
                  System.err.println("ERROR: event " + d.seqno() + " payload expired!");
                }
                if (++printed[0] == follow.limit()) {
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
        RingFollower follower = new RingFollower(ring, follow.from(), printer);
        WriterState end =
            follower.follow(follow.period(), () -> running.get() && !gate.stopRequested());
        out.flush();
        if (end == WriterState.REPLACED) {
          System.err.println("writer restarted: " + path + " is a new ring now");
        }
      }
      return 0;
    }
  }

  /** {@code herald ring write-test}: a TEST ring fed with TEST_COUNTER events. */
  @Command(
      name = "write-test",
      mixinStandardHelpOptions = true,
      showDefaultValues = true,
      description =
          "Creates a TEST ring and records TEST_COUNTER events at a chosen rate, printing the"
              + " event rate each second and the total at the end. Removes the ring when done,"
              + " also on Ctrl-C or SIGTERM.")
  static final class WriteTest implements Callable<Integer> {
    @Parameters(
        index = "0",
        arity = "0..1",
        defaultValue = "/dev/shm/event-recorder-test",
        description = "Ring file to create.")
    private Path path;

    @Option(
        names = {"-r", "--rate"},
        defaultValue = "10000",
        converter = Bounds.NotNegative.class,
        description = "Events per second per writer thread, 0 = as fast as possible.")
    private long rate;

    @Option(
        names = {"-n", "--count"},
        converter = Bounds.AtLeastOne.class,
        description = "Events per writer thread, then exit (default: until interrupted).")
    private Long count;

    @Option(
        names = {"-w", "--writers"},
        defaultValue = "1",
        converter = Bounds.AtLeastOne.class,
        description = "Writer threads sharing the ring.")
    private long writers;

    @Option(
        names = "--descriptor-shift",
        defaultValue = "16",
        converter = RingShift.Descriptor.class,
        description = "log2 of the descriptor capacity, 16 to 32.")
    private int descriptorShift;

    @Option(
        names = "--payload-shift",
        defaultValue = "27",
        converter = RingShift.Payload.class,
        description = "log2 of the payload buffer size, 27 to 40.")
    private int payloadShift;

    @Override
    public Integer call() {
      try (ShutdownGate gate = ShutdownGate.install();
          RingWriter writer =
              RingWriter.create(
                  path, ContentType.TEST, RingSize.ofShifts(descriptorShift, payloadShift))) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[(int) writers];
        System.err.printf(
            "writing TEST_COUNTER events to %s (pid %d), %d writer(s)%n",
            path, ProcessHandle.current().pid(), writers);
        long perThread = count == null ? -1 : count;
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
                                writer, id, rate, perThread, Duration.ZERO, running::get);
                          } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                            running.set(false); // one writer failed: the ring is lost for all
                          }
                        });
          }
          reportProgress(writer, threads, gate);
        } finally {
          running.set(false);
          awaitAll(threads); // never unmap the ring under a writer thread
        }
        System.out.printf("%d events written to %s%n", writer.lastSeqno(), path);
        Throwable t = failure.get();
        if (t != null) {
          throw writerFailed(t);
        }
      }
      return 0;
    }

    /** Prints the event rate once a second until the writers finish or a signal stops them. */
    private static void reportProgress(RingWriter writer, Thread[] threads, ShutdownGate gate) {
      long lastSeqno = writer.lastSeqno();
      long lastTime = System.nanoTime();
      while (!gate.stopRequested()) {
        if (awaitAll(threads, lastTime + 1_000_000_000L)) {
          return;
        }
        long now = System.nanoTime();
        long seqno = writer.lastSeqno();
        System.out.printf(
            "%12d events %10.0f events/s%n", seqno, (seqno - lastSeqno) / ((now - lastTime) / 1e9));
        System.out.flush();
        lastSeqno = seqno;
        lastTime = now;
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

    /**
     * Joins the started threads until {@code deadlineNanos}; true if all ended. An interrupt (a
     * stop signal) returns early, so that the caller sees the stop request.
     */
    private static boolean awaitAll(Thread[] threads, long deadlineNanos) {
      try {
        for (Thread t : threads) {
          long left = deadlineNanos - System.nanoTime();
          if (t != null && (left <= 0 || !t.join(Duration.ofNanos(left)))) {
            return false;
          }
        }
        return true;
      } catch (InterruptedException e) {
        return false;
      }
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
      description =
          "Writes a zstd snapshot of a ring (readable by upstream tools and 'watch'), under"
              + " a temporary name renamed into place; the target must not be the ring itself.")
  static final class Snapshot implements Callable<Integer> {
    @Parameters(index = "0", description = "Ring file (or snapshot) to copy.")
    private Path path;

    @Parameters(index = "1", description = "Snapshot file to write.")
    private Path target;

    @Override
    public Integer call() {
      try (EventRing ring = open(path)) {
        RingSnapshots.write(ring, target);
        System.err.printf("%s: %d events -> %s%n", path, ring.lastSeqno(), target);
      }
      return 0;
    }
  }

  /** {@code herald ring stat}: live event rate, byte rate and a follower's lag. */
  @Command(
      name = "stat",
      mixinStandardHelpOptions = true,
      description =
          "Prints, once per interval: events/s, payload MiB/s, average payload size, and "
              + "the lag of a reader following the ring in this process (allocated but not yet "
              + "read events).")
  static final class Stat implements Callable<Integer> {
    @Parameters(index = "0", description = "Live ring file.")
    private Path path;

    @Option(
        names = {"-i", "--interval-ms"},
        defaultValue = "1000",
        converter = Bounds.AtLeastOne.class,
        description = "Reporting interval in ms (default: ${DEFAULT-VALUE}).")
    private long intervalMillis;

    @Option(
        names = {"-n", "--count"},
        converter = Bounds.AtLeastOne.class,
        description = "Stop after this many reports (default: until the writer exits).")
    private Long count;

    @Override
    public Integer call() {
      try (ShutdownGate gate = ShutdownGate.install();
          EventRing ring = RingCommand.open(path);
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
        for (long reports = 0; (count == null || reports < count) && !gate.stopRequested(); ) {
          tick.expirations(); // sleeps until the next 10 ms tick
          follower.drain(drainPerTick);
          if (++ticks % ticksPerReport != 0) {
            continue;
          }
          reports++;
          ring.checkNotTruncated();
          if (RingLiveness.state(ring) != WriterState.ALIVE) {
            System.err.println("writer of " + path + " is gone");
            return 0;
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
      return 0;
    }
  }
}
