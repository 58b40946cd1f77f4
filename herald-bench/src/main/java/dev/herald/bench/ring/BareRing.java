package dev.herald.bench.ring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file in {@code /dev/shm} laid out as a ring (a header page, 2^16 descriptors of 64 bytes, a
 * payload buffer), mapped and already unlinked, so nothing is left if a benchmark fork dies. The
 * breakdown benchmarks perform a ring's memory operations on it with no Herald code in between.
 *
 * @param header the header page
 * @param descriptors the descriptor array
 * @param payload the payload buffer (mapped once, not doubled)
 */
record BareRing(MemorySegment header, MemorySegment descriptors, MemorySegment payload) {
  /** Bytes of the descriptor array: 2^16 descriptors of 64 bytes. */
  static final long DESCRIPTOR_BYTES = 64L << 16;

  /**
   * Maps a new file.
   *
   * @param name part of the file's name
   * @param payloadBytes the payload buffer's size
   * @param arena owns the mapping
   */
  static BareRing map(String name, long payloadBytes, Arena arena) {
    Path path = BenchRings.path(name);
    try (FileChannel ch = BenchRings.newFileToMap(path)) {
      MemorySegment all =
          ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096 + DESCRIPTOR_BYTES + payloadBytes, arena);
      return new BareRing(
          all.asSlice(0, 4096),
          all.asSlice(4096, DESCRIPTOR_BYTES),
          all.asSlice(4096 + DESCRIPTOR_BYTES, payloadBytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      BenchRings.delete(path); // the mapping outlives the name
    }
  }

  /** The same memory as global-scope segments, with no liveness check: what the checks cost. */
  @SuppressWarnings("restricted")
  BareRing global() {
    return new BareRing(global(header), global(descriptors), global(payload));
  }

  @SuppressWarnings("restricted")
  private static MemorySegment global(MemorySegment s) {
    return MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize());
  }
}
