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
 * Where a RING01 writer's nanoseconds go in Java: the memory operations of one event (control
 * block, slot invalidation, descriptor fields, payload copy, commit) on a mapped file, written
 * directly against {@code MemorySegment}s and taken apart one piece at a time. Each variant drops
 * or changes one piece of {@link #all}; the difference is that piece's cost. The hardware counters
 * a profiler would read are not available on this VM, so this is the profile.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class RingWriteBreakdown {
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final VarHandle ATOMIC = ValueLayout.JAVA_LONG.varHandle();
  private static final long DESCRIPTOR_MASK = (1L << 16) - 1;
  private static final long PAYLOAD_MASK = (1L << 27) - 1;
  private static final long STAMP = 1_700_000_000_000_000_000L;
  private static final int NO_COPY = 0;
  private static final int COPY = 1;
  private static final int COPY_TO_FIXED_PLACE = 2;
  private static final int COPY_FROM_HEAP = 3;
  private static final int STORE_TWO_LONGS = 4;
  private static final int NO_CONTROL = 0;
  private static final int CONTROL_STORES = 1;
  private static final int CONTROL_FETCH_ADDS = 2;

  @Param({"16", "150"})
  int payloadSize;

  private Arena arena;
  private MemorySegment header;
  private MemorySegment descriptors;
  private MemorySegment payload;
  private MemorySegment globalDescriptors;
  private MemorySegment globalPayload;
  private MemorySegment globalHeader;
  private MemorySegment source;
  private MemorySegment heapSource;
  private long seqno;
  private long nextByte;

  /** Maps a file laid out as a ring: a header page, 2^16 descriptors, 128 MiB of payload. */
  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofShared();
    BareRing ring = BareRing.map("breakdown", PAYLOAD_MASK + 1, arena);
    header = ring.header();
    descriptors = ring.descriptors();
    payload = ring.payload();
    BareRing global = ring.global();
    globalHeader = global.header();
    globalDescriptors = global.descriptors();
    globalPayload = global.payload();
    payload.fill((byte) 0);
    source = Arena.ofAuto().allocate(payloadSize, 16);
    heapSource = MemorySegment.ofArray(new byte[payloadSize]);
  }

  /** Unmaps and removes the file. */
  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  private long allocation() {
    return (payloadSize + 15) & -16L;
  }

  /** The next payload position; this mapping is not doubled, so no copy may cross its end. */
  private long advance() {
    long begin = nextByte;
    long end = begin + allocation();
    nextByte = (end & PAYLOAD_MASK) > PAYLOAD_MASK - 512 ? (end | PAYLOAD_MASK) + 1 : end;
    return begin;
  }

  /**
   * Every piece: the confined writer's pattern.
   *
   * @return the sequence number
   */
  @Benchmark
  public long all() {
    return event(header, descriptors, payload, CONTROL_STORES, true, COPY);
  }

  /**
   * Without the two control-block stores.
   *
   * @return the sequence number
   */
  @Benchmark
  public long noControlBlock() {
    return event(header, descriptors, payload, NO_CONTROL, true, COPY);
  }

  /**
   * Without the release store of 0, the fence and the release of the commit (all plain).
   *
   * @return the sequence number
   */
  @Benchmark
  public long noOrdering() {
    return event(header, descriptors, payload, CONTROL_STORES, false, COPY);
  }

  /**
   * Without the payload copy.
   *
   * @return the sequence number
   */
  @Benchmark
  public long noCopy() {
    return event(header, descriptors, payload, CONTROL_STORES, true, NO_COPY);
  }

  /**
   * Every piece, the payload always copied to the same place (no new cache lines).
   *
   * @return the sequence number
   */
  @Benchmark
  public long copyToFixedPlace() {
    return event(header, descriptors, payload, CONTROL_STORES, true, COPY_TO_FIXED_PLACE);
  }

  /**
   * Every piece, the payload copied from a Java array.
   *
   * @return the sequence number
   */
  @Benchmark
  public long copyFromHeap() {
    return event(header, descriptors, payload, CONTROL_STORES, true, COPY_FROM_HEAP);
  }

  /**
   * Every piece, two 8-byte stores instead of the copy (16 bytes whatever the size).
   *
   * @return the sequence number
   */
  @Benchmark
  public long storeTwoLongs() {
    return event(header, descriptors, payload, CONTROL_STORES, true, STORE_TWO_LONGS);
  }

  /**
   * Every piece, on global-scope segments: no liveness check per access.
   *
   * @return the sequence number
   */
  @Benchmark
  public long globalScope() {
    return event(globalHeader, globalDescriptors, globalPayload, CONTROL_STORES, true, COPY);
  }

  /**
   * The shared writer's pattern: the control block taken with two atomic fetch-adds.
   *
   * @return the sequence number
   */
  @Benchmark
  public long sharedControlBlock() {
    return event(header, descriptors, payload, CONTROL_FETCH_ADDS, true, COPY);
  }

  private long event(
      MemorySegment header,
      MemorySegment descriptors,
      MemorySegment payload,
      int control,
      boolean ordered,
      int copy) {
    long s = ++seqno;
    long begin = advance();
    long end = nextByte;
    if (control == CONTROL_STORES) {
      header.set(LONG, 64, s);
      header.set(LONG, 72, end);
    } else if (control == CONTROL_FETCH_ADDS) {
      // The values are the plain variant's (the cursor stays this benchmark's own); the cost is
      // that of two lock-prefixed read-modify-writes on the control block's cache line.
      // The results are not used (this benchmark keeps its own cursor), but the casts keep the
      // call sites' signature exact, so no adapter is inserted.
      long unusedSeqno = (long) ATOMIC.getAndAdd(header, 64L, 1L);
      long unusedByte = (long) ATOMIC.getAndAdd(header, 72L, end - begin);
    }
    long slot = ((s - 1) & DESCRIPTOR_MASK) << 6;
    if (ordered) {
      ATOMIC.setRelease(descriptors, slot, 0L);
      VarHandle.storeStoreFence();
    } else {
      descriptors.set(LONG, slot, 0L);
    }
    descriptors.set(LONG, slot + 8, 1L | ((long) payloadSize << 32));
    descriptors.set(LONG, slot + 16, STAMP);
    descriptors.set(LONG, slot + 24, begin);
    descriptors.set(LONG, slot + 32, 0L);
    descriptors.set(LONG, slot + 40, 0L);
    descriptors.set(LONG, slot + 48, 0L);
    descriptors.set(LONG, slot + 56, 0L);
    switch (copy) {
      case COPY -> MemorySegment.copy(source, 0, payload, begin & PAYLOAD_MASK, payloadSize);
      case COPY_TO_FIXED_PLACE -> MemorySegment.copy(source, 0, payload, 0, payloadSize);
      case COPY_FROM_HEAP ->
          MemorySegment.copy(heapSource, 0, payload, begin & PAYLOAD_MASK, payloadSize);
      case STORE_TWO_LONGS -> {
        payload.set(LONG, begin & PAYLOAD_MASK, s);
        payload.set(LONG, (begin & PAYLOAD_MASK) + 8, begin);
      }
      default -> {}
    }
    if (ordered) {
      ATOMIC.setRelease(descriptors, slot, s);
    } else {
      descriptors.set(LONG, slot, s);
    }
    return s;
  }
}
