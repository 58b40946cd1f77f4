package dev.herald.os.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable off-heap array of {@code struct epoll_event} that {@link Epoll#await} fills: read the
 * entries with {@link #events(int)} and {@link #data(int)}, no allocation per wait.
 *
 * <p>On x86_64 the kernel's struct is packed (12 bytes: a 32-bit mask, then the 64-bit data word at
 * offset 4); elsewhere it is 16 bytes with the data at offset 8.
 *
 * <pre>{@code
 * try (EpollEvents ready = EpollEvents.allocate(64)) {
 *   int n = epoll.await(ready, 1000);
 *   for (int i = 0; i < n; i++) {
 *     handle(ready.data(i), ready.events(i));
 *   }
 * }
 * }</pre>
 */
public final class EpollEvents implements AutoCloseable {
  /** Bytes per entry: the packed x86_64 layout, or the naturally aligned one. */
  public static final int ENTRY_SIZE;

  private static final long DATA_OFFSET;

  /**
   * The largest capacity {@code epoll_wait} accepts: {@code INT_MAX / sizeof(struct epoll_event)}
   * (the kernel's {@code EP_MAX_EVENTS}), 178,956,970 on x86_64.
   */
  public static final int MAX_CAPACITY;

  static {
    boolean packed = "amd64".equals(System.getProperty("os.arch"));
    ENTRY_SIZE = packed ? 12 : 16;
    DATA_OFFSET = packed ? 4 : 8;
    MAX_CAPACITY = Integer.MAX_VALUE / ENTRY_SIZE;
  }

  private static final ValueLayout.OfInt EVENTS = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong DATA = ValueLayout.JAVA_LONG_UNALIGNED;

  private final Arena arena;
  private final MemorySegment entries;
  private final int capacity;

  private EpollEvents(int capacity) {
    this.capacity = capacity;
    // Shared: an event loop is often built on one thread and run on another.
    this.arena = Arena.ofShared();
    this.entries = arena.allocate(Math.max(1L, (long) capacity * ENTRY_SIZE), 8);
  }

  /**
   * Allocates room for {@code capacity} ready entries.
   *
   * @param capacity the most entries one wait can return; 0 is allowed (every wait then fails with
   *     EINVAL, as the kernel decides)
   * @return the buffer
   * @throws IllegalArgumentException if capacity is negative or above {@link #MAX_CAPACITY}
   */
  public static EpollEvents allocate(int capacity) {
    if (capacity < 0 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "epoll ready capacity " + capacity + " is outside 0.." + MAX_CAPACITY);
    }
    return new EpollEvents(capacity);
  }

  /**
   * How many entries fit.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  /**
   * The ready mask of entry {@code i}.
   *
   * @param i the entry index, below the count the last wait returned
   * @return the epoll event bits
   */
  public int events(int i) {
    return entries.get(EVENTS, (long) i * ENTRY_SIZE);
  }

  /**
   * The 64-bit data word of entry {@code i}, as registered with {@link Epoll#add}.
   *
   * @param i the entry index
   * @return the data word
   */
  public long data(int i) {
    return entries.get(DATA, (long) i * ENTRY_SIZE + DATA_OFFSET);
  }

  /**
   * Overwrites entry {@code i}, e.g. with zeros to cancel a pending entry.
   *
   * @param i the entry index
   * @param events the mask to store
   * @param data the data word to store
   */
  public void set(int i, int events, long data) {
    long at = (long) i * ENTRY_SIZE;
    entries.set(EVENTS, at, events);
    entries.set(DATA, at + DATA_OFFSET, data);
  }

  MemorySegment segment() {
    return entries;
  }

  /** Frees the off-heap memory; the buffer must not be in a wait. */
  @Override
  public void close() {
    arena.close();
  }

  /** Writes one event into a caller-owned segment of {@link #ENTRY_SIZE} bytes. */
  public static void write(MemorySegment one, int events, long data) {
    one.set(EVENTS, 0, events);
    one.set(DATA, DATA_OFFSET, data);
  }
}
