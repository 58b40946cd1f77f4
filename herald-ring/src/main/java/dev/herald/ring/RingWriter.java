package dev.herald.ring;

import static dev.herald.ring.RingLayout.ATOMIC_LONG;
import static dev.herald.ring.RingLayout.DESCRIPTOR_SHIFT;
import static dev.herald.ring.RingLayout.DESC_CONTENT_EXT;
import static dev.herald.ring.RingLayout.DESC_EVENT_TYPE;
import static dev.herald.ring.RingLayout.DESC_PAYLOAD_BUF_OFFSET;
import static dev.herald.ring.RingLayout.DESC_PAYLOAD_SIZE;
import static dev.herald.ring.RingLayout.DESC_RECORD_EPOCH_NANOS;
import static dev.herald.ring.RingLayout.DESC_SEQNO;
import static dev.herald.ring.RingLayout.HDR_BUFFER_WINDOW_START;
import static dev.herald.ring.RingLayout.HDR_LAST_SEQNO;
import static dev.herald.ring.RingLayout.HDR_NEXT_PAYLOAD_BYTE;
import static dev.herald.ring.RingLayout.INT;
import static dev.herald.ring.RingLayout.LONG;
import static dev.herald.ring.RingLayout.SHORT;
import static dev.herald.ring.RingLayout.WINDOW_INCR;

import dev.herald.os.FileLock;
import dev.herald.os.FileSystemCalls;
import dev.herald.os.MappedRegion;
import dev.herald.os.OsException;
import dev.herald.os.RegularFile;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The writing side of an event ring: creates the ring file the way the Monad daemon does, keeps its
 * exclusive {@code flock} for life, and records events lock-free from any number of threads.
 *
 * <p>Recording is reserve, fill, commit: {@link #reserve} takes a sequence number and payload space
 * with two atomic fetch-adds, the caller writes the payload through its {@link Reservation}, and
 * {@link Reservation#commit()} publishes it with one release store. No allocation and no system
 * call per event; readers never slow the writer down. {@link #close()} removes the file.
 *
 * <pre>{@code
 * try (RingWriter writer =
 *     RingWriter.create(Path.of("/dev/shm/event-recorder-test"), ContentType.TEST,
 *         RingSize.ofShifts(16, 27))) {
 *   Reservation r = writer.newReservation(); // one per writing thread
 *   for (long n = 0; n < 1000; n++) {
 *     writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE)
 *         .putByte(TestCounter.WRITER_ID, (byte) 0)
 *         .putLong(TestCounter.COUNTER, n)
 *         .commit();
 *   }
 * }
 * }</pre>
 */
public final class RingWriter implements AutoCloseable {
  /** The largest payload a descriptor's 32-bit size can describe. */
  public static final long MAX_PAYLOAD_SIZE = 0xffff_ffffL;

  private final RingMapping mapping;
  private final Path path;
  private final MemorySegment header;
  private final MemorySegment descriptors;
  private final MemorySegment payload;
  private final long descriptorMask;
  private final long payloadMask;
  private final long windowSize;
  private final long largestAllocation;
  private boolean closed;

  private RingWriter(RingMapping mapping, Path path) {
    this.mapping = mapping;
    this.path = path;
    this.header = mapping.headerPage;
    this.descriptors = mapping.descriptors;
    this.payload = mapping.payload;
    this.descriptorMask = mapping.descriptorMask;
    this.payloadMask = mapping.payloadMask;
    long s = mapping.header.size().payloadBufSize();
    this.windowSize = s - WINDOW_INCR;
    // Allocations this large would be expired at birth (upstream's OVERFLOW_EXPIRE bound).
    this.largestAllocation = s - 2 * WINDOW_INCR;
  }

  /**
   * Creates and publishes a new ring file, following the daemon's protocol: claim the name (a file
   * nobody holds the lock on is a crashed writer's zombie and is removed), create {@code
   * <name>.<pid>} exclusively with mode 0664 and lock it, allocate and initialise it, publish it
   * with a rename that never replaces, and map it read-write.
   *
   * @param path the ring file (tmpfs such as {@code /dev/shm}, hugetlbfs, or any file system)
   * @param type the content type (not {@link ContentType#NONE})
   * @param size the sizes
   * @return the writer, holding the file's exclusive lock until {@link #close()}
   * @throws RingException of kind {@link RingException.Kind#WRITER_PRESENT} if a live process owns
   *     the name, or {@link RingException.Kind#IO} if a system call fails
   */
  public static RingWriter create(Path path, ContentType type, RingSize size) {
    if (type == ContentType.NONE) {
      throw new RingException(
          RingException.Kind.CONTENT_TYPE, "cannot create " + path + " with content type none");
    }
    claimName(path);
    Path tmp = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid());
    RegularFile file;
    try {
      file = RegularFile.createExclusive(tmp, 0664);
    } catch (OsException e) {
      throw new RingException(
          RingException.Kind.IO,
          "cannot create temporary ring file " + tmp + ": " + e.getMessage(),
          e);
    }
    try {
      file.flock(FileLock.EXCLUSIVE, true);
      file.allocate(0, size.storageSize());
      // A new O_EXCL file reads as zeros, so the descriptor array is already all "empty".
      try (MappedRegion page =
          MappedRegion.map(
              file,
              0,
              RingLayout.PAGE_2MB,
              MappedRegion.PROT_READ | MappedRegion.PROT_WRITE,
              MappedRegion.MAP_SHARED)) {
        RingHeader.of(type, size).write(page.segment());
      }
      if (!FileSystemCalls.renameNoReplace(tmp, path)) {
        throw new RingException(
            RingException.Kind.WRITER_PRESENT,
            "another process created " + path + " while this one was initialising it");
      }
    } catch (OsException | RingException e) {
      FileSystemCalls.unlink(tmp);
      file.close();
      if (e instanceof RingException re) {
        throw re;
      }
      throw new RingException(
          RingException.Kind.IO, "cannot create event ring " + path + ": " + e.getMessage(), e);
    }
    return new RingWriter(RingMapping.map(file, true), path);
  }

  /** Step 1 of creation: fail if a live writer owns the name; remove a dead writer's file. */
  private static void claimName(Path path) {
    RegularFile existing;
    try {
      existing = RegularFile.openReadOnly(path);
    } catch (OsException e) {
      return; // nothing there (ENOENT), or nothing we could lock anyway
    }
    try (existing) {
      if (!existing.flock(FileLock.EXCLUSIVE, false)) {
        String owner =
            RingLiveness.exclusiveWriterPid(existing.status()).stream()
                .mapToObj(pid -> "writer process " + pid)
                .findFirst()
                .orElse("another process");
        throw new RingException(
            RingException.Kind.WRITER_PRESENT,
            path + " is owned by " + owner + "; stop it or choose another ring name");
      }
      FileSystemCalls.unlink(path); // a zombie left by a writer that died without cleaning up
    }
  }

  /**
   * A reservation for the calling thread to reuse for every event it records.
   *
   * @return a new reservation
   */
  public Reservation newReservation() {
    return new Reservation(descriptors, payload);
  }

  /**
   * Reserves the next event: a sequence number, its descriptor slot and {@code payloadSize} bytes
   * of payload. The event is invisible to readers until {@link Reservation#commit()}. A payload too
   * large for the ring ({@code >= payload_buf_size - 32 MiB}) or for a descriptor ({@code > 4 GiB -
   * 1}) is recorded as a RECORD_ERROR event instead, whose payload keeps the first bytes.
   *
   * @param r the calling thread's reservation, overwritten
   * @param eventType the event type code in this ring's schema
   * @param payloadSize the exact payload size in bytes
   * @return {@code r}, ready to fill
   */
  public Reservation reserve(Reservation r, int eventType, long payloadSize) {
    Instant now = Instant.now();
    return reserve(
        r, eventType, payloadSize, now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  /**
   * {@link #reserve(Reservation, int, long)} with a timestamp the caller already has (e.g. one per
   * batch of events): reading the clock is the largest single cost of a reservation (about 25-35 ns
   * on a typical VM), and the format requires a timestamp in every descriptor.
   *
   * @param r the calling thread's reservation, overwritten
   * @param eventType the event type code in this ring's schema
   * @param payloadSize the exact payload size in bytes
   * @param epochNanos {@code CLOCK_REALTIME} in nanoseconds for {@code record_epoch_nanos}
   * @return {@code r}, ready to fill
   */
  public Reservation reserve(Reservation r, int eventType, long payloadSize, long epochNanos) {
    if (payloadSize < 0) {
      throw new IllegalArgumentException("negative payload size " + payloadSize);
    }
    if (payloadSize > MAX_PAYLOAD_SIZE) {
      return reserveError(
          r, RecordError.ErrorType.OVERFLOW_4GB, eventType, payloadSize, epochNanos);
    }
    long allocation = RingLayout.roundUpToAlign(payloadSize);
    if (allocation >= largestAllocation) {
      return reserveError(
          r, RecordError.ErrorType.OVERFLOW_EXPIRE, eventType, payloadSize, epochNanos);
    }
    long seqno = reserveSlot(eventType, payloadSize, allocation, epochNanos);
    long slot = ((seqno - 1) & descriptorMask) << DESCRIPTOR_SHIFT;
    long begin = descriptors.get(LONG, slot + DESC_PAYLOAD_BUF_OFFSET);
    r.reset(seqno, slot, begin & payloadMask, payloadSize, false);
    return r;
  }

  private Reservation reserveError(
      Reservation r,
      RecordError.ErrorType error,
      int droppedType,
      long requested,
      long epochNanos) {
    long size = RecordError.TRUNCATED_EVENT_SIZE;
    long seqno = reserveSlot(RecordError.EVENT_TYPE, size, size, epochNanos);
    long slot = ((seqno - 1) & descriptorMask) << DESCRIPTOR_SHIFT;
    long at = descriptors.get(LONG, slot + DESC_PAYLOAD_BUF_OFFSET) & payloadMask;
    long kept = size - RecordError.SIZE;
    payload.asSlice(at, size).fill((byte) 0);
    payload.set(SHORT, at + RecordError.ERROR_TYPE, (short) error.ordinal());
    payload.set(SHORT, at + RecordError.DROPPED_EVENT_TYPE, (short) droppedType);
    payload.set(INT, at + RecordError.TRUNCATED_PAYLOAD_SIZE, (int) kept);
    payload.set(LONG, at + RecordError.REQUESTED_PAYLOAD_SIZE, requested);
    r.reset(seqno, slot, at + RecordError.SIZE, kept, true);
    return r;
  }

  /**
   * The upstream reserve sequence ({@code monad_event_recorder_reserve}); returns the seqno.
   * Visibility of each store is spelled out because readers in other processes rely on it.
   */
  private long reserveSlot(int eventType, long payloadSize, long allocation, long epochNanos) {
    long last = (long) ATOMIC_LONG.getAndAdd(header, HDR_LAST_SEQNO, 1L);
    long begin = (long) ATOMIC_LONG.getAndAdd(header, HDR_NEXT_PAYLOAD_BYTE, allocation);
    long slot = (last & descriptorMask) << DESCRIPTOR_SHIFT;
    // Release: a reader copying the slot's old event sees 0 on its re-check and reports GAP.
    ATOMIC_LONG.setRelease(descriptors, slot + DESC_SEQNO, 0L);
    // Release orders only earlier accesses; this fence keeps the field stores below from becoming
    // visible before the 0 (upstream relies on x86 TSO here).
    VarHandle.storeStoreFence();
    long end = begin + allocation;
    long windowStart = (long) ATOMIC_LONG.getOpaque(header, HDR_BUFFER_WINDOW_START);
    if (end - windowStart > windowSize) {
      // One attempt: if another writer moved the window first, it moved it far enough.
      long target = ((end + WINDOW_INCR - 1) & -WINDOW_INCR) - windowSize;
      ATOMIC_LONG.compareAndSet(header, HDR_BUFFER_WINDOW_START, windowStart, target);
      // Payload stores below overwrite bytes the new window expires: they must not become visible
      // before it (the CAS is a release, which orders only earlier stores).
      VarHandle.storeStoreFence();
    }
    descriptors.set(SHORT, slot + DESC_EVENT_TYPE, (short) eventType);
    descriptors.set(SHORT, slot + DESC_EVENT_TYPE + 2, (short) 0);
    descriptors.set(INT, slot + DESC_PAYLOAD_SIZE, (int) payloadSize);
    descriptors.set(LONG, slot + DESC_RECORD_EPOCH_NANOS, epochNanos);
    descriptors.set(LONG, slot + DESC_PAYLOAD_BUF_OFFSET, begin);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT, 0L);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT + 8, 0L);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT + 16, 0L);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT + 24, 0L);
    return last + 1;
  }

  /**
   * Records one event whose payload is already in memory: reserve, copy, commit.
   *
   * @param eventType the event type code
   * @param bytes the payload
   * @param r the calling thread's reservation
   * @return the event's sequence number
   */
  public long record(Reservation r, int eventType, MemorySegment bytes) {
    reserve(r, eventType, bytes.byteSize()).putBytes(0, bytes).commit();
    return r.seqno();
  }

  /**
   * The last sequence number allocated so far.
   *
   * @return {@code control.last_seqno}
   */
  public long lastSeqno() {
    return (long) ATOMIC_LONG.getAcquire(header, HDR_LAST_SEQNO);
  }

  /**
   * The ring's header.
   *
   * @return the header
   */
  public RingHeader header() {
    return mapping.header;
  }

  /**
   * The ring file's path.
   *
   * @return the path
   */
  public Path path() {
    return path;
  }

  /**
   * Removes the ring file's name, releases the lock and unmaps (upstream's {@code OwnedEventRing}
   * destructor). Readers that still have it mapped keep reading what was written. All writing
   * threads must have stopped.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      FileSystemCalls.unlink(path);
    } finally {
      mapping.close();
    }
  }

  @Override
  public String toString() {
    return "RingWriter(" + path + ", " + mapping.header + ")";
  }
}
