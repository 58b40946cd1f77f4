package dev.herald.os.internal;

import dev.herald.os.Fd;
import dev.herald.os.OsException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A range of virtual memory from {@code mmap(2)}, unmapped by {@link #close()}.
 *
 * <p>The {@link #segment()} is bound to an arena closed before the {@code munmap}, so a thread that
 * touches the memory afterwards gets an {@link IllegalStateException}, not a crash.
 *
 * <p>For a double mapping (a ring whose end continues at its start), {@link #reserve} an address
 * range and {@link #mapFixed} the same file range into it twice, back to back:
 *
 * <pre>{@code
 * try (MappedRegion view = MappedRegion.reserve(2 * size)) {
 *   view.mapFixed(0, file, offset, size, MappedRegion.PROT_READ, MappedRegion.MAP_SHARED);
 *   view.mapFixed(size, file, offset, size, MappedRegion.PROT_READ, MappedRegion.MAP_SHARED);
 *   MemorySegment ring = view.segment(); // byte size + i is byte i
 * }
 * }</pre>
 */
// Restricted FFM methods are this module's purpose; callers need --enable-native-access.
@SuppressWarnings("restricted")
public final class MappedRegion implements AutoCloseable {
  /** No access. */
  public static final int PROT_NONE = 0;

  /** Readable. */
  public static final int PROT_READ = 1;

  /** Writable. */
  public static final int PROT_WRITE = 2;

  /** Changes are shared with other mappings of the file. */
  public static final int MAP_SHARED = 0x01;

  /** Copy-on-write private mapping. */
  public static final int MAP_PRIVATE = 0x02;

  /** Place the mapping exactly at the address given (replacing what is there). */
  public static final int MAP_FIXED = 0x10;

  /** Not backed by a file. */
  public static final int MAP_ANONYMOUS = 0x20;

  /** Do not reserve swap space. */
  public static final int MAP_NORESERVE = 0x4000;

  /** Pre-fault the pages. */
  public static final int MAP_POPULATE = 0x8000;

  private final long address;
  private final long length;
  private final Arena arena;
  private final MemorySegment segment;
  private boolean closed;

  private MappedRegion(long address, long length) {
    this.address = address;
    this.length = length;
    // Shared: readers on several threads use one mapping; closing it waits out their accesses.
    this.arena = Arena.ofShared();
    this.segment = MemorySegment.ofAddress(address).reinterpret(length, arena, null);
  }

  /**
   * Maps {@code length} bytes of {@code fd} from {@code offset}.
   *
   * @param fd the file
   * @param offset the file offset, a multiple of the page size
   * @param length the number of bytes (positive)
   * @param prot {@link #PROT_READ}, {@link #PROT_WRITE} or both
   * @param flags {@link #MAP_SHARED} or {@link #MAP_PRIVATE}, plus modifiers
   * @return the mapping
   * @throws OsException e.g. EACCES when {@code prot} exceeds the fd's access mode, EINVAL for a
   *     bad offset or length
   */
  public static MappedRegion map(Fd fd, long offset, long length, int prot, int flags) {
    int n = fd.acquire();
    try {
      long at = Libc.mmap(0, length, prot, flags, n, offset);
      OsException.check(at, "mmap(length " + length + ", offset " + offset + ")", n);
      return new MappedRegion(at, length);
    } finally {
      fd.release();
    }
  }

  /**
   * Reserves {@code length} bytes of address space with no access and no backing, to be filled in
   * with {@link #mapFixed}.
   *
   * @param length the number of bytes, a multiple of the page size
   * @return the reservation
   */
  public static MappedRegion reserve(long length) {
    long at = Libc.mmap(0, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    OsException.check(at, "mmap(reserve " + length + ")", "");
    return new MappedRegion(at, length);
  }

  /**
   * Maps a file range over part of this region ({@code MAP_FIXED}), replacing what was there.
   *
   * @param regionOffset where in this region, a multiple of the page size
   * @param fd the file
   * @param fileOffset the file offset, a multiple of the page size
   * @param length the number of bytes; {@code regionOffset + length} must not pass the region's end
   * @param prot the protection
   * @param flags {@link #MAP_SHARED} or {@link #MAP_PRIVATE}, plus modifiers ({@link #MAP_FIXED} is
   *     added)
   */
  public void mapFixed(
      long regionOffset, Fd fd, long fileOffset, long length, int prot, int flags) {
    if (regionOffset < 0 || length <= 0 || regionOffset + length > this.length) {
      throw new IllegalArgumentException(
          "range "
              + regionOffset
              + "+"
              + length
              + " is outside the region of "
              + this.length
              + " bytes");
    }
    long want = address + regionOffset;
    int n = fd.acquire();
    long at;
    try {
      at = Libc.mmap(want, length, prot, flags | MAP_FIXED, n, fileOffset);
      OsException.check(at, "mmap(MAP_FIXED, length " + length + ", offset " + fileOffset + ")", n);
    } finally {
      fd.release();
    }
    if (at != want) {
      throw new IllegalStateException("MAP_FIXED placed the mapping at another address");
    }
  }

  /**
   * The mapped memory, valid until {@link #close()}.
   *
   * @return the segment
   */
  public MemorySegment segment() {
    return segment;
  }

  /**
   * The start address.
   *
   * @return the address
   */
  public long address() {
    return address;
  }

  /**
   * The length in bytes.
   *
   * @return the length
   */
  public long length() {
    return length;
  }

  /** Invalidates the segment, then unmaps the whole region; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    arena.close();
    OsException.check(
        Libc.MUNMAP.call(MemorySegment.ofAddress(address), length),
        "munmap(length " + length + ")",
        "");
  }
}
