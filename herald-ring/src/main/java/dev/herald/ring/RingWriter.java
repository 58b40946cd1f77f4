package dev.herald.ring;

import static dev.herald.ring.RingLayout.ATOMIC_LONG;
import static dev.herald.ring.RingLayout.DESCRIPTOR_SHIFT;
import static dev.herald.ring.RingLayout.DESC_CONTENT_EXT;
import static dev.herald.ring.RingLayout.DESC_EVENT_TYPE;
import static dev.herald.ring.RingLayout.DESC_PAYLOAD_BUF_OFFSET;
import static dev.herald.ring.RingLayout.DESC_RECORD_EPOCH_NANOS;
import static dev.herald.ring.RingLayout.DESC_SEQNO;
import static dev.herald.ring.RingLayout.HDR_BUFFER_WINDOW_START;
import static dev.herald.ring.RingLayout.HDR_LAST_SEQNO;
import static dev.herald.ring.RingLayout.HDR_NEXT_PAYLOAD_BYTE;
import static dev.herald.ring.RingLayout.INT;
import static dev.herald.ring.RingLayout.LONG;
import static dev.herald.ring.RingLayout.SHORT;
import static dev.herald.ring.RingLayout.WINDOW_INCR;

import dev.herald.os.Errno;
import dev.herald.os.Fd;
import dev.herald.os.FileLock;
import dev.herald.os.FileStatus;
import dev.herald.os.OsException;
import dev.herald.os.internal.FileSystemCalls;
import dev.herald.os.internal.MappedRegion;
import dev.herald.os.internal.RegularFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The writing side of an event ring: creates the ring file the way the Monad daemon does, keeps its
 * exclusive {@code flock} for life, and records events lock-free from any number of threads.
 *
 * <p>Recording is reserve, fill, commit: {@link #reserve} takes a sequence number and payload space
 * with two atomic fetch-adds, the caller writes the payload through its {@link Reservation}, and
 * {@link Reservation#commit()} publishes it with one release store. No allocation and no system
 * call per event; readers never slow the writer down. {@link #close()} removes the file.
 *
 * <p>A writer created with {@link WriterThreads#CONFINED} belongs to one thread and takes its
 * sequence numbers and payload space with plain stores instead of the two locked fetch-adds: the
 * same bytes, a few nanoseconds cheaper per event. Every descriptor carries a {@code
 * CLOCK_REALTIME} stamp; reading the clock costs more than the rest of a reservation, so a caller
 * that records bursts can read it once per burst and pass it to {@link #reserve(Reservation, int,
 * long, long)}.
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

  /** How often {@link #claimName} looks again at a name other processes keep replacing. */
  private static final int CLAIM_ATTEMPTS = 3;

  private final RingMapping mapping;
  private final Path path;
  private final MemorySegment header;
  private final MemorySegment descriptors;
  private final MemorySegment payload;
  private final long descriptorMask;
  private final long payloadMask;
  private final long windowSize;
  private final long largestAllocation;
  private final boolean confined;
  private boolean closed;

  // CONFINED mode only: the owning thread (set once, by the first reservation) and the writer's own
  // copies of the control block, which no other thread or process writes while this writer lives.
  private Thread owner;
  private long nextSeqno;
  private long nextPayloadByte;
  private long windowStart;

  private static final VarHandle OWNER;

  static {
    try {
      OWNER = MethodHandles.lookup().findVarHandle(RingWriter.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RingWriter(RingMapping mapping, Path path, WriterThreads threads) {
    this.mapping = mapping;
    this.path = path;
    this.confined = threads == WriterThreads.CONFINED;
    this.header = mapping.headerPage;
    this.descriptors = mapping.descriptors;
    this.payload = mapping.payload;
    this.descriptorMask = mapping.descriptorMask;
    this.payloadMask = mapping.payloadMask;
    long s = mapping.header.size().payloadBufSize();
    this.windowSize = s - WINDOW_INCR;
    // Allocations this large would be expired at birth (upstream's OVERFLOW_EXPIRE bound).
    this.largestAllocation = s - 2 * WINDOW_INCR;
    this.nextSeqno = (long) ATOMIC_LONG.getAcquire(header, HDR_LAST_SEQNO) + 1;
    this.nextPayloadByte = (long) ATOMIC_LONG.getAcquire(header, HDR_NEXT_PAYLOAD_BYTE);
    this.windowStart = (long) ATOMIC_LONG.getAcquire(header, HDR_BUFFER_WINDOW_START);
  }

  /**
   * Creates and publishes a new ring file, following the daemon's protocol: claim the name (a ring
   * file nobody holds the lock on is a crashed writer's zombie and is removed; anything else there
   * is refused and left alone), create {@code <name>.<pid>} exclusively with mode 0664 and lock it,
   * allocate and initialise it, publish it with a rename that never replaces, and map it
   * read-write. Any number of threads may record into it ({@link WriterThreads#SHARED}).
   *
   * @param path the ring file (tmpfs such as {@code /dev/shm}, hugetlbfs, or any file system)
   * @param type the content type (not {@link ContentType#NONE})
   * @param size the sizes
   * @return the writer, holding the file's exclusive lock until {@link #close()}
   * @throws RingException of kind {@link RingException.Kind#WRITER_PRESENT} if a live process owns
   *     the name, {@link RingException.Kind#BAD_MAGIC} or {@link
   *     RingException.Kind#NOT_REGULAR_FILE} if something other than a ring is there, or {@link
   *     RingException.Kind#IO} if a system call fails
   */
  public static RingWriter create(Path path, ContentType type, RingSize size) {
    return create(path, type, size, WriterThreads.SHARED);
  }

  /**
   * {@link #create(Path, ContentType, RingSize)} for the given number of writing threads: with
   * {@link WriterThreads#CONFINED}, only the first thread that reserves an event may record.
   *
   * @param path the ring file (tmpfs such as {@code /dev/shm}, hugetlbfs, or any file system)
   * @param type the content type (not {@link ContentType#NONE})
   * @param size the sizes
   * @param threads whether any number of threads or only one will record
   * @return the writer, holding the file's exclusive lock until {@link #close()}
   * @throws RingException of kind {@link RingException.Kind#WRITER_PRESENT} if a live process owns
   *     the name, {@link RingException.Kind#BAD_MAGIC} or {@link
   *     RingException.Kind#NOT_REGULAR_FILE} if something other than a ring is there, or {@link
   *     RingException.Kind#IO} if a system call fails
   */
  public static RingWriter create(
      Path path, ContentType type, RingSize size, WriterThreads threads) {
    Objects.requireNonNull(threads, "threads");
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
    FileIdentity published = FileIdentity.of(file.status());
    try {
      return new RingWriter(RingMapping.map(file, true), path, threads);
    } catch (RingException e) {
      if (published.isNamedBy(path)) {
        FileSystemCalls.unlink(path); // unmapped and unlocked: do not leave it as a zombie
      }
      throw e;
    }
  }

  /**
   * Step 1 of creation: fail if a live writer owns the name; remove a dead writer's ring. The path
   * is opened without blocking (a FIFO there must not hang the writer) and looked at again if
   * another process replaced it in the meantime.
   */
  private static void claimName(Path path) {
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      RegularFile existing;
      try {
        existing = RegularFile.open(path, RegularFile.O_RDONLY | Fd.O_NONBLOCK, 0);
      } catch (OsException e) {
        if (e.errno() == Errno.ENOENT) {
          return; // the name is free
        }
        throw new RingException(
            RingException.Kind.IO,
            "cannot open " + path + " to see whether a writer owns it: " + e.getMessage(),
            e);
      }
      try (existing) {
        if (reclaim(path, existing)) {
          return;
        }
      }
    }
    throw new RingException(
        RingException.Kind.WRITER_PRESENT,
        path
            + " was replaced "
            + CLAIM_ATTEMPTS
            + " times while this process tried to claim it: other writers are starting under the"
            + " same name; stop them or choose another ring name");
  }

  /**
   * Removes {@code existing}, opened from {@code path}, if it is a crashed writer's zombie: a
   * regular file that starts with {@code RING01} and on which nobody holds a lock. The unlink
   * happens under the exclusive lock and only if {@code path} still names the locked file (same
   * device and inode), so a live writer's ring published meanwhile under the name is never removed.
   *
   * @return true if the name is free now; false if {@code path} names another file than {@code
   *     existing} (replaced after it was opened: look again)
   * @throws RingException of kind {@link RingException.Kind#WRITER_PRESENT} if a process holds the
   *     file, {@link RingException.Kind#NOT_REGULAR_FILE} or {@link RingException.Kind#BAD_MAGIC}
   *     if it is not a ring; the file is then left as it is
   */
  static boolean reclaim(Path path, RegularFile existing) {
    FileStatus status = existing.status();
    FileKind.of(status.mode())
        .requireRegular(path, "a dead writer's ring to replace; remove it or choose another name");
    if (!existing.flock(FileLock.EXCLUSIVE, false)) {
      String owner =
          RingLiveness.exclusiveWriterPid(status).stream()
              .mapToObj(pid -> "writer process " + pid)
              .findFirst()
              .orElse("another process");
      throw new RingException(
          RingException.Kind.WRITER_PRESENT,
          path + " is owned by " + owner + "; stop it or choose another ring name");
    }
    if (!FileIdentity.of(status).isNamedBy(path)) {
      return false;
    }
    if (!startsWithMagic(existing)) {
      throw new RingException(
          RingException.Kind.BAD_MAGIC,
          path
              + " is not an event ring (it does not start with RING01), so it is not a dead"
              + " writer's ring to replace; remove it yourself or choose another ring name");
    }
    FileSystemCalls.unlink(path); // a zombie left by a writer that died without cleaning up
    return true;
  }

  private static boolean startsWithMagic(RegularFile file) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment magic = arena.allocate(RingLayout.MAGIC.length);
      return file.read(magic) == RingLayout.MAGIC.length
          && Arrays.equals(magic.toArray(RingLayout.BYTE), RingLayout.MAGIC);
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
   * <p>If {@code r} still holds an event that was neither committed nor aborted (its filling was
   * abandoned, e.g. by an exception), that event is first published as a RECORD_ERROR ({@link
   * Reservation#abort()}), so that no slot is left that would stop readers.
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
    if (r.open()) {
      r.abort(); // its filling was abandoned: publish it as an error so readers move past it
    }
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
    reserveSlot(r, eventType, payloadSize, allocation, epochNanos);
    return r;
  }

  private Reservation reserveError(
      Reservation r,
      RecordError.ErrorType error,
      int droppedType,
      long requested,
      long epochNanos) {
    long size = RecordError.TRUNCATED_EVENT_SIZE;
    reserveSlot(r, RecordError.EVENT_TYPE, size, size, epochNanos);
    long at = r.start();
    long kept = size - RecordError.SIZE;
    payload.asSlice(at, size).fill((byte) 0);
    payload.set(SHORT, at + RecordError.ERROR_TYPE, (short) error.ordinal());
    payload.set(SHORT, at + RecordError.DROPPED_EVENT_TYPE, (short) droppedType);
    payload.set(INT, at + RecordError.TRUNCATED_PAYLOAD_SIZE, (int) kept);
    payload.set(LONG, at + RecordError.REQUESTED_PAYLOAD_SIZE, requested);
    r.truncate(droppedType, requested, kept);
    return r;
  }

  /**
   * The upstream reserve sequence ({@code monad_event_recorder_reserve}), steps 3 to 7, leaving
   * {@code r} pointing at the new slot and payload. Visibility of each store is spelled out because
   * readers in other processes rely on it. Split by mode to keep each compiled path small.
   */
  private void reserveSlot(
      Reservation r, int eventType, long payloadSize, long allocation, long epochNanos) {
    if (confined) {
      reserveConfined(r, eventType, payloadSize, allocation, epochNanos);
    } else {
      reserveShared(r, eventType, payloadSize, allocation, epochNanos);
    }
  }

  private void reserveShared(
      Reservation r, int eventType, long payloadSize, long allocation, long epochNanos) {
    // Steps 3-4: RELAXED fetch-adds in upstream; getAndAdd is stronger (volatile), as Java has no
    // relaxed read-modify-write, and on x86 both are the same lock xadd.
    long seqno = (long) ATOMIC_LONG.getAndAdd(header, HDR_LAST_SEQNO, 1L) + 1;
    long begin = (long) ATOMIC_LONG.getAndAdd(header, HDR_NEXT_PAYLOAD_BYTE, allocation);
    long slot = invalidateSlot(seqno);
    long end = begin + allocation;
    long window = (long) ATOMIC_LONG.getOpaque(header, HDR_BUFFER_WINDOW_START);
    if (end - window > windowSize) {
      moveWindowShared(end, window);
    }
    writeDescriptor(slot, eventType, payloadSize, begin, epochNanos);
    r.reset(seqno, slot, begin & payloadMask, payloadSize, eventType);
  }

  private void reserveConfined(
      Reservation r, int eventType, long payloadSize, long allocation, long epochNanos) {
    Thread current = Thread.currentThread();
    // A plain read: the owner is written once; a stale null only sends this thread to claim's CAS.
    if (owner != current) {
      claim(current);
    }
    long seqno = nextSeqno;
    long begin = nextPayloadByte;
    long end = begin + allocation;
    nextSeqno = seqno + 1;
    nextPayloadByte = end;
    // Steps 3-4 with one writer in all (this thread, under the file's exclusive flock): storing the
    // next value leaves in memory exactly what upstream's fetch-adds leave. Opaque is upstream's
    // RELAXED (untorn, no ordering of its own); the release store of the slot's 0 in
    // invalidateSlot orders both before it, as it orders upstream's fetch-adds.
    ATOMIC_LONG.setOpaque(header, HDR_LAST_SEQNO, seqno);
    ATOMIC_LONG.setOpaque(header, HDR_NEXT_PAYLOAD_BYTE, end);
    long slot = invalidateSlot(seqno);
    if (end - windowStart > windowSize) {
      moveWindowConfined(end);
    }
    writeDescriptor(slot, eventType, payloadSize, begin, epochNanos);
    r.reset(seqno, slot, begin & payloadMask, payloadSize, eventType);
  }

  /** Step 5: marks the slot of {@code seqno} as being rewritten; returns its byte offset. */
  private long invalidateSlot(long seqno) {
    long slot = ((seqno - 1) & descriptorMask) << DESCRIPTOR_SHIFT;
    // Release: a reader copying the slot's old event sees 0 on its re-check and reports GAP.
    ATOMIC_LONG.setRelease(descriptors, slot + DESC_SEQNO, 0L);
    // Release orders only earlier accesses; this fence keeps the field stores that follow from
    // becoming visible before the 0 (upstream relies on x86 TSO here; spec section 11.1).
    VarHandle.storeStoreFence();
    return slot;
  }

  /** Step 7, plus zeroed flow tags and the caller's event type; the seqno stays 0 until commit. */
  private void writeDescriptor(
      long slot, int eventType, long payloadSize, long begin, long epochNanos) {
    // event_type (2 bytes), the unnamed 16-bit padding and payload_size (4 bytes) are adjacent
    // (offsets 8, 10, 12), so one little-endian 8-byte store writes all three.
    descriptors.set(
        LONG, slot + DESC_EVENT_TYPE, (eventType & 0xffffL) | (payloadSize << Integer.SIZE));
    descriptors.set(LONG, slot + DESC_RECORD_EPOCH_NANOS, epochNanos);
    descriptors.set(LONG, slot + DESC_PAYLOAD_BUF_OFFSET, begin);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT, 0L);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT + 8, 0L);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT + 16, 0L);
    descriptors.set(LONG, slot + DESC_CONTENT_EXT + 24, 0L);
  }

  /** Step 6 for a shared writer: one CAS attempt, as upstream. */
  private void moveWindowShared(long end, long window) {
    // One attempt: if another writer moved the window first, it moved it far enough.
    long target = ((end + WINDOW_INCR - 1) & -WINDOW_INCR) - windowSize;
    ATOMIC_LONG.compareAndSet(header, HDR_BUFFER_WINDOW_START, window, target);
    // Payload stores after this overwrite bytes the new window expires: they must not become
    // visible before it (upstream's CAS is relaxed and relies on x86 TSO; spec section 11.1).
    VarHandle.storeStoreFence();
  }

  /** Step 6 for a confined writer: nobody else moves the window, so a store replaces the CAS. */
  private void moveWindowConfined(long end) {
    long target = ((end + WINDOW_INCR - 1) & -WINDOW_INCR) - windowSize;
    windowStart = target;
    // Release, like the shared writer's CAS: earlier stores stay before it.
    ATOMIC_LONG.setRelease(header, HDR_BUFFER_WINDOW_START, target);
    // Payload stores after this overwrite bytes the new window expires: they must not become
    // visible before it (release orders only earlier stores; spec section 11.1).
    VarHandle.storeStoreFence();
  }

  /** The first reservation of a confined writer claims it; any other thread is refused. */
  private void claim(Thread current) {
    if (!OWNER.compareAndSet(this, (Thread) null, current)) {
      throw new WrongThreadException(
          "this ring writer is confined to thread "
              + owner
              + "; create it with WriterThreads.SHARED to record from several threads");
    }
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
   * Records one event whose payload {@code filler} writes: reserve, fill, commit. If the filler
   * throws, the event is published as a RECORD_ERROR instead ({@link Reservation#abort()}) and the
   * exception propagates: a failed fill never leaves a slot that stops readers.
   *
   * <pre>{@code
   * writer.record(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE,
   *     p -> p.putByte(TestCounter.WRITER_ID, (byte) 1).putLong(TestCounter.COUNTER, n));
   * }</pre>
   *
   * @param r the calling thread's reservation
   * @param eventType the event type code
   * @param payloadSize the exact payload size in bytes
   * @param filler writes the payload and flow tags through the reservation (it may commit or abort
   *     it itself)
   * @return the event's sequence number
   */
  public long record(
      Reservation r, int eventType, long payloadSize, Consumer<? super Reservation> filler) {
    reserve(r, eventType, payloadSize);
    try {
      filler.accept(r);
    } catch (Throwable t) {
      if (r.isOpen()) {
        r.abort();
      }
      throw t;
    }
    if (r.isOpen()) {
      r.commit();
    }
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
   * Whether any number of threads or only one may record.
   *
   * @return the mode given to {@link #create(Path, ContentType, RingSize, WriterThreads)}
   */
  public WriterThreads threads() {
    return confined ? WriterThreads.CONFINED : WriterThreads.SHARED;
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
   * Removes the ring file's name (if it still names this ring), releases the lock and unmaps
   * (upstream's {@code OwnedEventRing} destructor). Readers that still have it mapped keep reading
   * what was written. All writing threads must have stopped.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // Only while the name is still this ring's: another process may have replaced it.
      if (FileIdentity.of(mapping.status).isNamedBy(path)) {
        FileSystemCalls.unlink(path);
      }
    } finally {
      mapping.close();
    }
  }

  /**
   * Releases the lock and unmaps, leaving the file in place: a ring kept for readers after its
   * writer stops (a replica, an archive). Readers see the writer gone, read what was written, and a
   * later {@link #create} at the same path replaces the file as a dead writer's ring. All writing
   * threads must have stopped.
   *
   * <pre>{@code
   * writer.closeKeepingFile(); // 'herald ring watch' can still replay it
   * }</pre>
   */
  public synchronized void closeKeepingFile() {
    if (!closed) {
      closed = true;
      mapping.close();
    }
  }

  @Override
  public String toString() {
    return "RingWriter(" + path + ", " + mapping.header + ")";
  }
}
