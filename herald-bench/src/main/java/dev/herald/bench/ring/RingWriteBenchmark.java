package dev.herald.bench.ring;

import dev.herald.os.internal.RealtimeClock;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import dev.herald.ring.WriterThreads;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Writer cost per event: Herald's reserve, copy, commit against Agrona's {@code transmit} of the
 * same bytes. Agrona's transmitter is single-producer, so its two-thread baseline takes a lock.
 * Herald runs both as a lock-free shared writer ({@link WriterThreads#SHARED}, atomic fetch-adds,
 * like upstream's recorder) and as a single-thread writer ({@link WriterThreads#CONFINED}, like
 * Agrona's transmitter).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--enable-native-access=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow",
      "-Dagrona.disable.bounds.checks=true"
    })
@State(Scope.Benchmark)
public class RingWriteBenchmark {
  private static final long STAMP = 1_700_000_000_000_000_000L;

  @Param({"16", "150"})
  int payloadSize;

  private Path heraldPath;
  private Path agronaPath;
  private Path confinedPath;
  private RingWriter writer;
  private RingWriter confinedWriter;
  private BroadcastTransmitter transmitter;

  /** What one writing thread owns. */
  @State(Scope.Thread)
  public static class PerThread {
    Reservation reservation;
    Reservation confinedReservation;
    MemorySegment heraldPayload;
    UnsafeBuffer agronaPayload;
    final RealtimeClock clock = new RealtimeClock();

    /**
     * Fills the payload both sides send.
     *
     * @param bench the shared rings
     */
    @Setup(Level.Trial)
    public void setUp(RingWriteBenchmark bench) {
      reservation = bench.writer.newReservation();
      confinedReservation = bench.confinedWriter.newReservation();
      heraldPayload = Arena.ofAuto().allocate(bench.payloadSize, 16);
      for (int i = 0; i < bench.payloadSize; i++) {
        heraldPayload.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
      }
      agronaPayload =
          new UnsafeBuffer(heraldPayload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }
  }

  /** Creates both rings. */
  @Setup(Level.Trial)
  public void setUp() {
    heraldPath = BenchRings.path("write-herald");
    agronaPath = BenchRings.path("write-agrona");
    confinedPath = BenchRings.path("write-herald-confined");
    writer = BenchRings.heraldRing(heraldPath);
    confinedWriter = BenchRings.heraldRing(confinedPath, WriterThreads.CONFINED);
    transmitter = new BroadcastTransmitter(BenchRings.agronaBuffer(agronaPath));
  }

  /** Removes both rings. */
  @TearDown(Level.Trial)
  public void tearDown() {
    writer.close();
    confinedWriter.close();
    BenchRings.delete(agronaPath);
  }

  /**
   * Herald, one thread.
   *
   * @param t the thread's state
   * @return the sequence number
   */
  @Benchmark
  public long herald(PerThread t) {
    return record(t);
  }

  /**
   * Agrona, one thread.
   *
   * @param t the thread's state
   */
  @Benchmark
  public void agrona(PerThread t) {
    transmitter.transmit(1, t.agronaPayload, 0, payloadSize);
  }

  /**
   * Herald with the timestamp supplied by the caller (read once per batch): the ring's own cost.
   *
   * @param t the thread's state
   * @return the sequence number
   */
  @Benchmark
  public long heraldCallerTimestamp(PerThread t) {
    writer
        .reserve(t.reservation, TestEventType.TEST_VLT.code(), payloadSize, STAMP)
        .putBytes(0, t.heraldPayload)
        .commit();
    return t.reservation.seqno();
  }

  /**
   * Herald's single-thread writer, reading the clock per event.
   *
   * @param t the thread's state
   * @return the sequence number
   */
  @Benchmark
  public long heraldConfined(PerThread t) {
    confinedWriter
        .reserve(t.confinedReservation, TestEventType.TEST_VLT.code(), payloadSize)
        .putBytes(0, t.heraldPayload)
        .commit();
    return t.confinedReservation.seqno();
  }

  /**
   * Herald's single-thread writer with the timestamp supplied by the caller: the ring's own cost.
   *
   * @param t the thread's state
   * @return the sequence number
   */
  @Benchmark
  public long heraldConfinedCallerTimestamp(PerThread t) {
    confinedWriter
        .reserve(t.confinedReservation, TestEventType.TEST_VLT.code(), payloadSize, STAMP)
        .putBytes(0, t.heraldPayload)
        .commit();
    return t.confinedReservation.seqno();
  }

  /**
   * Agrona with a CLOCK_REALTIME stamp in each message, as every RING01 descriptor carries, read
   * through the same clock as Herald's writer.
   *
   * @param t the thread's state
   */
  @Benchmark
  public void agronaTimestamped(PerThread t) {
    t.agronaPayload.putLong(0, t.clock.epochNanos());
    transmitter.transmit(1, t.agronaPayload, 0, payloadSize);
  }

  /**
   * Herald, two threads sharing the writer lock-free.
   *
   * @param t the thread's state
   * @return the sequence number
   */
  @Benchmark
  @Threads(2)
  public long heraldTwoThreads(PerThread t) {
    return record(t);
  }

  /**
   * Agrona, two threads taking turns on a lock (its transmitter is single-producer).
   *
   * @param t the thread's state
   */
  @Benchmark
  @Threads(2)
  public void agronaTwoThreadsLocked(PerThread t) {
    synchronized (transmitter) {
      transmitter.transmit(1, t.agronaPayload, 0, payloadSize);
    }
  }

  private long record(PerThread t) {
    writer
        .reserve(t.reservation, TestEventType.TEST_VLT.code(), payloadSize)
        .putBytes(0, t.heraldPayload)
        .commit();
    return t.reservation.seqno();
  }
}
