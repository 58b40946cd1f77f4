package dev.herald.bench.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
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

/**
 * Where a RING01 reader's nanoseconds go in Java: one poll and payload copy (acquire load of the
 * slot's sequence number, the descriptor's seven other words, the re-check, the window check before
 * and after copying the payload into a Java array) written directly against {@code MemorySegment}s
 * on a mapped file of already committed events, with no Herald code, and taken apart one piece at a
 * time. The reader's counterpart of {@link RingWriteBreakdown}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class RingReadBreakdown {
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final VarHandle ATOMIC = ValueLayout.JAVA_LONG.varHandle();
  private static final long DESCRIPTOR_MASK = (1L << 16) - 1;
  private static final long PAYLOAD_BYTES = 1L << 24;
  private static final long WINDOW_START = 128;

  @Param({"16", "150"})
  int payloadSize;

  private Arena arena;
  private MemorySegment header;
  private MemorySegment descriptors;
  private MemorySegment payload;
  private MemorySegment globalHeader;
  private MemorySegment globalDescriptors;
  private MemorySegment globalPayload;
  private final byte[] copy = new byte[256];
  private final MemorySegment copySegment = MemorySegment.ofArray(copy);
  private final long[] fields = new long[8];
  private long last;

  /** Maps a file laid out as a ring and fills every slot with a committed event. */
  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofShared();
    BareRing ring = BareRing.map("read-breakdown", PAYLOAD_BYTES, arena);
    header = ring.header();
    descriptors = ring.descriptors();
    payload = ring.payload();
    BareRing global = ring.global();
    globalHeader = global.header();
    globalDescriptors = global.descriptors();
    globalPayload = global.payload();
    long allocation = (payloadSize + 15) & -16L;
    for (long i = 0; i <= DESCRIPTOR_MASK; i++) {
      long slot = i << 6;
      descriptors.set(LONG, slot, i + 1);
      descriptors.set(LONG, slot + 8, 1L | ((long) payloadSize << 32));
      descriptors.set(LONG, slot + 16, 1_700_000_000_000_000_000L);
      descriptors.set(LONG, slot + 24, i * allocation);
      payload.set(LONG, i * allocation, i);
    }
  }

  /** Unmaps the file. */
  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  /**
   * Every piece, as Herald's reader and the C floor do it.
   *
   * @return a checksum
   */
  @Benchmark
  public long all() {
    return event(header, descriptors, payload, true, true, true);
  }

  /**
   * Without the payload copy.
   *
   * @return a checksum
   */
  @Benchmark
  public long noCopy() {
    return event(header, descriptors, payload, false, true, true);
  }

  /**
   * Without the two window checks around the copy.
   *
   * @return a checksum
   */
  @Benchmark
  public long noWindowChecks() {
    return event(header, descriptors, payload, true, false, true);
  }

  /**
   * Plain loads and no fences instead of the four acquire loads and two load-load fences.
   *
   * @return a checksum
   */
  @Benchmark
  public long noOrdering() {
    return event(header, descriptors, payload, true, true, false);
  }

  /**
   * Every piece, on global-scope segments: no liveness check per access.
   *
   * @return a checksum
   */
  @Benchmark
  public long globalScope() {
    return event(globalHeader, globalDescriptors, globalPayload, true, true, true);
  }

  private long event(
      MemorySegment header,
      MemorySegment descriptors,
      MemorySegment payload,
      boolean copyPayload,
      boolean window,
      boolean ordered) {
    long expected = (last & DESCRIPTOR_MASK) + 1;
    long slot = (last & DESCRIPTOR_MASK) << 6;
    long seqno =
        ordered ? (long) ATOMIC.getAcquire(descriptors, slot) : descriptors.get(LONG, slot);
    if (seqno != expected) {
      throw new IllegalStateException("slot " + slot + " holds " + seqno);
    }
    for (int i = 1; i < 8; i++) {
      fields[i] = descriptors.get(LONG, slot + 8L * i);
    }
    if (ordered) {
      VarHandle.loadLoadFence();
    }
    long again =
        ordered ? (long) ATOMIC.getAcquire(descriptors, slot) : descriptors.get(LONG, slot);
    if (again != seqno) {
      throw new IllegalStateException("slot " + slot + " overwritten");
    }
    last = expected;
    long offset = fields[3];
    if (window && offset < windowStart(header, ordered)) {
      return 0;
    }
    if (copyPayload) {
      MemorySegment.copy(payload, offset, copySegment, 0, fields[1] >>> 32);
    }
    if (window) {
      if (ordered) {
        VarHandle.loadLoadFence();
      }
      if (offset < windowStart(header, ordered)) {
        return 0;
      }
    }
    return copy[0] + fields[2];
  }

  private static long windowStart(MemorySegment header, boolean ordered) {
    return ordered
        ? (long) ATOMIC.getAcquire(header, WINDOW_START)
        : header.get(LONG, WINDOW_START);
  }
}
