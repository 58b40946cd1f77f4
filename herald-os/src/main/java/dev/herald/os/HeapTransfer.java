package dev.herald.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Transfers for heap segments ({@code MemorySegment.ofArray}), which a downcall cannot be given:
 * the bytes go through a native buffer per thread, as the JDK's channels do with heap buffers. A
 * critical downcall could pass the array itself, but it holds off the garbage collector for the
 * length of the call, and a read may block indefinitely.
 *
 * <pre>{@code
 * MemorySegment window = HeapTransfer.readWindow(heap);
 * return HeapTransfer.deliver(window, heap, read(window)); // any call that fills window
 * }</pre>
 */
final class HeapTransfer {
  private static final ThreadLocal<MemorySegment> BOUNCE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Fd.HEAP_TRANSFER_LIMIT, 8));

  private HeapTransfer() {}

  /** The native buffer to read into for {@code heap}: up to {@link Fd#HEAP_TRANSFER_LIMIT}. */
  static MemorySegment readWindow(MemorySegment heap) {
    return BOUNCE.get().asSlice(0, Math.min(heap.byteSize(), Fd.HEAP_TRANSFER_LIMIT));
  }

  /**
   * Copies what a call read into {@code window} over to {@code heap} and returns the call's result
   * {@code n}; nothing is copied for 0 or a negative result, at most the window for a result larger
   * than it ({@code MSG_TRUNC} reports a datagram's real length).
   */
  static long deliver(MemorySegment window, MemorySegment heap, long n) {
    if (n > 0) {
      MemorySegment.copy(window, 0, heap, 0, Math.min(n, window.byteSize()));
    }
    return n;
  }

  /**
   * A native copy of {@code heap}'s first bytes, up to {@link Fd#HEAP_TRANSFER_LIMIT}, to write.
   */
  static MemorySegment writeWindow(MemorySegment heap) {
    MemorySegment window = readWindow(heap);
    MemorySegment.copy(heap, 0, window, 0, window.byteSize());
    return window;
  }
}
