package dev.herald.os.internal;

import dev.herald.os.Fd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads and writes for heap segments ({@code MemorySegment.ofArray}), which a downcall cannot be
 * given: the bytes go through a native buffer per thread, as the JDK's channels do with heap
 * buffers. A critical downcall could pass the array itself, but it holds off the garbage collector
 * for the length of the call, and a read may block indefinitely.
 */
public final class HeapTransfer {
  private static final ThreadLocal<MemorySegment> BOUNCE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Fd.HEAP_TRANSFER_LIMIT, 8));

  private HeapTransfer() {}

  public static long read(Fd fd, MemorySegment heap) {
    MemorySegment bounce = window(heap);
    long n = fd.read(bounce);
    if (n > 0) {
      MemorySegment.copy(bounce, 0, heap, 0, n);
    }
    return n;
  }

  public static long write(Fd fd, MemorySegment heap) {
    MemorySegment bounce = window(heap);
    MemorySegment.copy(heap, 0, bounce, 0, bounce.byteSize());
    return fd.write(bounce);
  }

  private static MemorySegment window(MemorySegment heap) {
    return BOUNCE.get().asSlice(0, Math.min(heap.byteSize(), Fd.HEAP_TRANSFER_LIMIT));
  }
}
