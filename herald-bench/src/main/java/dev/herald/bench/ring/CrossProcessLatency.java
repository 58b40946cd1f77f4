package dev.herald.bench.ring;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.PollResult;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;

/**
 * Writer-to-reader latency across two processes: this process writes 16-byte events stamped with
 * {@code System.nanoTime()} (CLOCK_MONOTONIC, shared by all processes) every few microseconds; a
 * child JVM spins on the ring and records {@code now - stamp} in an HdrHistogram. Herald and Agrona
 * run one after the other in the same invocation, on files in {@code /dev/shm}.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -cp herald-bench/target/benchmarks.jar dev.herald.bench.ring.CrossProcessLatency [events]
 * }</pre>
 */
public final class CrossProcessLatency {
  private static final int WARMUP = 200_000;
  private static final long INTERVAL_NANOS = 5_000;
  private static final int PAYLOAD = 16;

  private CrossProcessLatency() {}

  /**
   * Runs both sides (no arguments or an event count), or one reader child.
   *
   * @param args {@code [events]}, or {@code reader herald|agrona <path> <events>}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("reader")) {
      read(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
      return;
    }
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    for (String side : List.of("herald", "agrona", "herald", "agrona")) {
      System.out.println(side + " " + run(side, events));
    }
  }

  private static String run(String side, int events) throws IOException, InterruptedException {
    Path path = BenchRings.path("latency-" + side);
    RingWriter writer = side.equals("herald") ? BenchRings.heraldRing(path) : null;
    BroadcastTransmitter transmitter =
        side.equals("agrona") ? new BroadcastTransmitter(BenchRings.agronaBuffer(path)) : null;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(BenchRings.JVM_ARGS));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            CrossProcessLatency.class.getName(),
            "reader",
            side,
            path.toString(),
            Integer.toString(events)));
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      if (!"ready".equals(out.readLine())) {
        throw new IllegalStateException("reader child did not start");
      }
      Reservation r = writer == null ? null : writer.newReservation();
      UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
      long next = System.nanoTime();
      for (int i = 0; i < WARMUP + events; i++) {
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        next += INTERVAL_NANOS;
        long stamp = System.nanoTime();
        if (writer != null) {
          writer
              .reserve(r, TestEventType.TEST_COUNTER.code(), PAYLOAD)
              .putLong(0, stamp)
              .putLong(8, i)
              .commit();
        } else {
          payload.putLong(0, stamp);
          payload.putLong(8, i);
          transmitter.transmit(1, payload, 0, PAYLOAD);
        }
      }
      String result = out.readLine();
      child.waitFor();
      return result;
    } finally {
      child.destroyForcibly();
      if (writer != null) {
        writer.close();
      } else {
        BenchRings.delete(path);
      }
    }
  }

  private static void read(String side, Path path, int events) throws IOException {
    Histogram latency = new Histogram(3_600_000_000_000L, 3);
    int total = WARMUP + events;
    int seen = 0;
    if (side.equals("herald")) {
      try (EventRing ring = EventRing.open(path, ContentType.TEST)) {
        EventReader reader = ring.reader();
        EventDescriptor d = new EventDescriptor();
        System.out.println("ready");
        System.out.flush();
        while (seen < total) {
          PollResult result = reader.poll(d);
          if (result == PollResult.EVENT) {
            long stamp =
                ring.payloadBuffer().get(ValueLayout.JAVA_LONG_UNALIGNED, ring.payloadPosition(d));
            long now = System.nanoTime();
            if (ring.payloadValid(d) && ++seen > WARMUP) {
              latency.recordValue(Math.max(0, now - stamp));
            }
          } else if (result == PollResult.GAP) {
            throw new IllegalStateException("reader lapped");
          }
        }
      }
    } else {
      BroadcastReceiver receiver = new BroadcastReceiver(mapAgrona(path));
      System.out.println("ready");
      System.out.flush();
      while (seen < total) {
        if (receiver.receiveNext()) {
          long stamp = receiver.buffer().getLong(receiver.offset());
          long now = System.nanoTime();
          if (receiver.validate() && ++seen > WARMUP) {
            latency.recordValue(Math.max(0, now - stamp));
          }
        }
      }
    }
    System.out.printf(
        "events %d p50 %d ns p99 %d ns p99.9 %d ns max %d ns%n",
        latency.getTotalCount(),
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(99),
        latency.getValueAtPercentile(99.9),
        latency.getMaxValue());
  }

  private static UnsafeBuffer mapAgrona(Path path) {
    try (FileChannel ch =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer map =
          ch.map(
              FileChannel.MapMode.READ_WRITE,
              0,
              BenchRings.CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH);
      return new UnsafeBuffer(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
