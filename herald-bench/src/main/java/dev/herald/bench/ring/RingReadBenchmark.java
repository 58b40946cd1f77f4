package dev.herald.bench.ring;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.PollResult;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reader throughput: consume a batch of already-written events, copying each payload into the
 * reader's own buffer and confirming it afterwards (Herald {@code copyPayload}, which checks expiry
 * before and after the copy as upstream's {@code payload_memcpy} does; Agrona {@code getBytes} and
 * {@code validate}).
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
@State(Scope.Thread)
public class RingReadBenchmark {
  /** Events per invocation. */
  static final int BATCH = 50_000;

  @Param({"16", "150"})
  int payloadSize;

  private Path heraldPath;
  private Path agronaPath;
  private RingWriter writer;
  private Reservation reservation;
  private MemorySegment payload;
  private EventRing ring;
  private EventReader reader;
  private final EventDescriptor descriptor = new EventDescriptor();
  private final byte[] heraldCopy = new byte[256];
  private final MemorySegment heraldCopySegment = MemorySegment.ofArray(heraldCopy);
  private final byte[] agronaCopy = new byte[256];
  private UnsafeBuffer agronaBuffer;
  private UnsafeBuffer agronaPayload;
  private BroadcastTransmitter transmitter;
  private BroadcastReceiver receiver;

  /** Creates both rings and their readers. */
  @Setup(Level.Trial)
  public void setUp() {
    heraldPath = BenchRings.path("read-herald");
    agronaPath = BenchRings.path("read-agrona");
    writer = BenchRings.heraldRing(heraldPath);
    reservation = writer.newReservation();
    ring = EventRing.open(heraldPath, ContentType.TEST);
    reader = ring.reader();
    payload = Arena.ofAuto().allocate(payloadSize, 16);
    agronaBuffer = BenchRings.agronaBuffer(agronaPath);
    agronaPayload = new UnsafeBuffer(new byte[payloadSize]);
    transmitter = new BroadcastTransmitter(agronaBuffer);
    receiver = new BroadcastReceiver(agronaBuffer);
  }

  /** Writes the next batch into both rings (not measured). */
  @Setup(Level.Invocation)
  public void writeBatch() {
    for (int i = 0; i < BATCH; i++) {
      payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
      writer
          .reserve(reservation, TestEventType.TEST_VLT.code(), payloadSize)
          .putBytes(0, payload)
          .commit();
      agronaPayload.putLong(0, i);
      transmitter.transmit(1, agronaPayload, 0, payloadSize);
    }
  }

  /** Removes both rings. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ring.close();
    writer.close();
    BenchRings.delete(agronaPath);
  }

  /**
   * Herald: poll, copy, check, for a whole batch.
   *
   * @return a checksum
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long herald() {
    long sum = 0;
    for (int i = 0; i < BATCH; i++) {
      if (reader.poll(descriptor) != PollResult.EVENT) {
        throw new IllegalStateException("missing event " + reader.nextSeqno());
      }
      if (ring.copyPayload(descriptor, heraldCopySegment)) {
        sum += heraldCopy[0];
      }
    }
    return sum;
  }

  /**
   * Agrona: receiveNext, copy, validate, for a whole batch.
   *
   * @return a checksum
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long agrona() {
    long sum = 0;
    for (int i = 0; i < BATCH; i++) {
      if (!receiver.receiveNext()) {
        throw new IllegalStateException("missing message");
      }
      receiver.buffer().getBytes(receiver.offset(), agronaCopy, 0, receiver.length());
      if (receiver.validate()) {
        sum += agronaCopy[0];
      }
    }
    return sum;
  }
}
