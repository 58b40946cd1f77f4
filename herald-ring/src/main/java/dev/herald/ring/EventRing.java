package dev.herald.ring;

import static dev.herald.ring.RingLayout.ATOMIC_LONG;
import static dev.herald.ring.RingLayout.DESCRIPTOR_SHIFT;
import static dev.herald.ring.RingLayout.DESC_SEQNO;
import static dev.herald.ring.RingLayout.HDR_BUFFER_WINDOW_START;
import static dev.herald.ring.RingLayout.HDR_LAST_SEQNO;
import static dev.herald.ring.RingLayout.HDR_NEXT_PAYLOAD_BYTE;

import dev.herald.os.Fd;
import dev.herald.os.FileStatus;
import dev.herald.os.OsException;
import dev.herald.os.internal.RegularFile;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * An event ring file mapped read-only: the header, the descriptors and the payload buffer (mapped
 * twice back to back so wrapping payloads read contiguously). Any number of threads may share one
 * ring; each reads through its own {@link EventReader}.
 *
 * <p>Payloads are zero-copy: {@link #payload} is a view of the shared buffer that the writer may
 * overwrite at any time, so check {@link #payloadValid} <em>after</em> using the bytes, or use
 * {@link #copyPayload}, which checks before and after the copy.
 *
 * <pre>{@code
 * try (EventRing ring = EventRing.open(Path.of("/dev/shm/monad-exec-events"), ContentType.EXEC)) {
 *   EventReader reader = ring.reader();
 *   EventDescriptor d = new EventDescriptor();
 *   if (reader.poll(d) == PollResult.EVENT) {
 *     byte[] bytes = ring.copyPayload(d); // null if the payload expired
 *   }
 * }
 * }</pre>
 */
public final class EventRing implements AutoCloseable {
  private final RingMapping mapping;
  private final Path path;
  private final boolean snapshot;
  private final MemorySegment header;
  private final MemorySegment descriptors;
  private final MemorySegment payload;
  private final long descriptorMask;
  private final long payloadMask;
  private final long payloadBufSize;

  private EventRing(RingMapping mapping, Path path, boolean snapshot) {
    this.mapping = mapping;
    this.path = path;
    this.snapshot = snapshot;
    this.header = mapping.headerPage;
    this.descriptors = mapping.descriptors;
    this.payload = mapping.payload;
    this.descriptorMask = mapping.descriptorMask;
    this.payloadMask = mapping.payloadMask;
    this.payloadBufSize = mapping.header.size().payloadBufSize();
  }

  /**
   * Opens a live ring (or an uncompressed ring file) and checks its content type and schema hash.
   *
   * @param path the ring file
   * @param required the content type the caller decodes
   * @return the mapped ring
   * @throws RingException if the file is missing, not a ring, of another content type or schema,
   *     has impossible sizes, or is shorter than its header says
   */
  public static EventRing open(Path path, ContentType required) {
    EventRing ring = openAny(path);
    try {
      ring.header().checkContentType(required, path.toString());
      return ring;
    } catch (RingException e) {
      ring.close();
      throw e;
    }
  }

  /**
   * Opens a ring of any content type, checking only the magic and the sizes (for tools).
   *
   * @param path the ring file
   * @return the mapped ring
   */
  public static EventRing openAny(Path path) {
    return new EventRing(RingMapping.map(openFile(path), false), path, false);
  }

  /**
   * Opens a zstd snapshot: decompresses it into a temporary file (removed at once, the mapping
   * keeps it alive), then maps it. Readers of a snapshot start at the oldest event it holds.
   *
   * @param snapshotFile the {@code .zst} snapshot
   * @param required the content type the caller decodes, or null to accept any
   * @return the mapped ring
   */
  public static EventRing openSnapshot(Path snapshotFile, ContentType required) {
    Path tmp = RingSnapshots.decompressToTemporary(snapshotFile);
    RegularFile file;
    try {
      file = openFile(tmp);
    } finally {
      RingSnapshots.deleteQuietly(tmp);
    }
    EventRing ring = new EventRing(RingMapping.map(file, false), snapshotFile, true);
    if (required != null) {
      try {
        ring.header().checkContentType(required, snapshotFile.toString());
      } catch (RingException e) {
        ring.close();
        throw e;
      }
    }
    return ring;
  }

  /**
   * Opens a ring file for reading. Non-blocking, so that a FIFO at the path is refused instead of
   * waiting for a writer; the kind is then checked on the open file itself ({@code fstat}).
   */
  private static RegularFile openFile(Path path) {
    RegularFile file;
    try {
      file = RegularFile.open(path, RegularFile.O_RDONLY | Fd.O_NONBLOCK, 0);
    } catch (OsException e) {
      throw new RingException(
          RingException.Kind.IO,
          "cannot open event ring " + path + ": " + e.getMessage() + " (is the writer running?)",
          e);
    }
    try {
      FileKind.of(file.status().mode()).requireRegular(path, "an event ring");
      return file;
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** The exception a fault on the mapping becomes: the file shrank under us. */
  RingException truncatedUnderMapping(InternalError e) {
    return new RingException(
        RingException.Kind.TRUNCATED,
        path + " was truncated while mapped (a fault occurred reading it); reopen the ring",
        e);
  }

  /** The error for values no writer of the format produces; names the file and what is wrong. */
  RingException corrupt(String what) {
    return new RingException(
        RingException.Kind.CORRUPT,
        path
            + " is corrupt: "
            + what
            + "; it was not written by a RING01 writer, or was damaged or copied (not"
            + " snapshotted) while being written");
  }

  /**
   * Checks the payload fields of a descriptor just copied: the writer allocates payloads 16-byte
   * aligned, never larger than the buffer, and before it publishes the descriptor, so the payload
   * ends at or before {@code next_payload_byte}. That field sits on the writers' busiest cache
   * line, so the caller passes the value it last read and the header is read again only when an
   * event ends beyond it.
   *
   * @param d the descriptor
   * @param allocatedEnd a {@code next_payload_byte} value read earlier (0 to force a read)
   * @return the {@code next_payload_byte} value now known
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if the descriptor is
   *     impossible
   */
  long checkPayloadFields(EventDescriptor d, long allocatedEnd) {
    checkPayloadShape(d);
    long offset = d.payloadBufOffset();
    long size = d.payloadSize();
    if (endsBeyond(offset, size, allocatedEnd)) {
      allocatedEnd = nextPayloadByte();
      if (endsBeyond(offset, size, allocatedEnd)) {
        throw corrupt(
            "event "
                + d.seqno()
                + " has its "
                + size
                + "-byte payload at offset "
                + Long.toUnsignedString(offset)
                + ", beyond next_payload_byte "
                + Long.toUnsignedString(allocatedEnd)
                + ": no writer allocated it");
      }
    }
    return allocatedEnd;
  }

  /**
   * The checks of {@link #checkPayloadFields} that read no shared state: a 16-byte aligned offset,
   * a size no larger than the buffer.
   *
   * @param d the descriptor
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if the descriptor is
   *     impossible
   */
  void checkPayloadShape(EventDescriptor d) {
    long offset = d.payloadBufOffset();
    long size = d.payloadSize();
    if ((offset & (RingLayout.PAYLOAD_ALIGN - 1)) != 0) {
      throw corrupt(
          "event " + d.seqno() + " has payload offset " + offset + ", not a multiple of 16");
    }
    if (size > payloadBufSize) {
      throw corrupt(
          "event "
              + d.seqno()
              + " has a payload of "
              + size
              + " bytes, more than the whole "
              + payloadBufSize
              + "-byte payload buffer");
    }
  }

  private static boolean endsBeyond(long offset, long size, long allocatedEnd) {
    return Long.compareUnsigned(offset, allocatedEnd) > 0
        || Long.compareUnsigned(size, allocatedEnd - offset) > 0;
  }

  /**
   * Creates a reader: a live ring's reader starts at the newest fully written event ({@link
   * EventReader#reset()}), a snapshot's at the oldest event it holds ({@link
   * EventReader#seekOldest()}).
   *
   * @return a new reader for the calling thread
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if the control block or the
   *     descriptors are impossible
   */
  public EventReader reader() {
    EventReader reader = new EventReader(this, mapping);
    if (snapshot) {
      reader.seekOldest();
    } else {
      reader.reset();
    }
    return reader;
  }

  /**
   * Copies event {@code seqno} if the ring still holds it (random access).
   *
   * @param seqno the sequence number, at least 1
   * @param out where the descriptor goes
   * @return true if copied; false if the slot holds another event or it is being rewritten
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if the descriptor's payload
   *     fields are impossible
   */
  public boolean tryCopy(long seqno, EventDescriptor out) {
    if (seqno == 0) {
      return false;
    }
    long slot = ((seqno - 1) & descriptorMask) << DESCRIPTOR_SHIFT;
    try {
      if ((long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO) != seqno) {
        return false;
      }
      out.copyFrom(descriptors, slot, seqno);
      // The re-check must not be satisfied before the copied fields were read.
      VarHandle.loadLoadFence();
      if ((long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO) != seqno) {
        return false;
      }
      checkPayloadFields(out, 0);
      return true;
    } catch (InternalError e) {
      throw truncatedUnderMapping(e);
    }
  }

  /**
   * The whole payload buffer, mapped twice: byte {@code S + i} is byte {@code i}. For zero-copy
   * reads without allocating a slice, read {@code payloadSize} bytes at {@link #payloadPosition}.
   *
   * @return the doubled buffer, {@code 2 * payload_buf_size} bytes
   */
  public MemorySegment payloadBuffer() {
    return payload;
  }

  /**
   * Where an event's payload starts in {@link #payloadBuffer()}.
   *
   * @param d the event
   * @return the physical offset ({@code payloadBufOffset & (S - 1)})
   */
  public long payloadPosition(EventDescriptor d) {
    return d.payloadBufOffset() & payloadMask;
  }

  /**
   * A zero-copy view of an event's payload. The writer may overwrite it at any time: call {@link
   * #payloadValid} after you are done with the bytes and discard what you read if it is false.
   *
   * @param d the event
   * @return the payload bytes, contiguous even when they wrap
   */
  public MemorySegment payload(EventDescriptor d) {
    return payload.asSlice(d.payloadBufOffset() & payloadMask, d.payloadSize());
  }

  /**
   * Whether an event's payload has not been overwritten yet ({@code payload_check}).
   *
   * @param d the event
   * @return true if its offset is still inside the buffer window
   */
  public boolean payloadValid(EventDescriptor d) {
    // Keep earlier payload reads from moving below the window load that validates them.
    VarHandle.loadLoadFence();
    long window;
    try {
      window = (long) ATOMIC_LONG.getAcquire(header, HDR_BUFFER_WINDOW_START);
    } catch (InternalError e) {
      throw truncatedUnderMapping(e);
    }
    return Long.compareUnsigned(d.payloadBufOffset(), window) >= 0;
  }

  /**
   * Copies an event's payload into {@code dst}, checking expiry before and after the copy.
   *
   * @param d the event
   * @param dst at least {@code d.payloadSize()} bytes
   * @return true if {@code dst} now holds the payload; false if it expired (the bytes are junk)
   */
  public boolean copyPayload(EventDescriptor d, MemorySegment dst) {
    long offset = d.payloadBufOffset();
    try {
      // No payload has been read yet: an acquire load of the window is check enough here.
      if (Long.compareUnsigned(offset, windowStart()) < 0) {
        return false;
      }
      MemorySegment.copy(payload, offset & payloadMask, dst, 0, d.payloadSize());
    } catch (InternalError e) {
      throw truncatedUnderMapping(e);
    }
    return payloadValid(d);
  }

  private long windowStart() {
    return (long) ATOMIC_LONG.getAcquire(header, HDR_BUFFER_WINDOW_START);
  }

  /**
   * Copies an event's payload into a new array, checking expiry before and after the copy.
   *
   * @param d the event
   * @return the bytes, or null if the payload expired
   */
  public byte[] copyPayload(EventDescriptor d) {
    byte[] bytes = new byte[Math.toIntExact(d.payloadSize())];
    try {
      return copyPayload(d, MemorySegment.ofArray(bytes)) ? bytes : null;
    } catch (InternalError e) {
      // The JVM may raise a copy's fault a little after the copy itself returns.
      throw truncatedUnderMapping(e);
    }
  }

  /**
   * The last sequence number any writer allocated (it may not be committed yet).
   *
   * @return {@code control.last_seqno}
   */
  public long lastSeqno() {
    return (long) ATOMIC_LONG.getAcquire(header, HDR_LAST_SEQNO);
  }

  /**
   * The next virtual payload byte a writer will allocate.
   *
   * @return {@code control.next_payload_byte}
   */
  public long nextPayloadByte() {
    return (long) ATOMIC_LONG.getAcquire(header, HDR_NEXT_PAYLOAD_BYTE);
  }

  /**
   * The smallest virtual payload offset still valid.
   *
   * @return {@code control.buffer_window_start}
   */
  public long bufferWindowStart() {
    return (long) ATOMIC_LONG.getAcquire(header, HDR_BUFFER_WINDOW_START);
  }

  /**
   * The header's fixed fields.
   *
   * @return the header
   */
  public RingHeader header() {
    return mapping.header;
  }

  /**
   * The path this ring was opened from (the snapshot file for a snapshot).
   *
   * @return the path
   */
  public Path path() {
    return path;
  }

  /**
   * Whether this ring came from a zstd snapshot (no writer; readers start at 1).
   *
   * @return true for a snapshot
   */
  public boolean isSnapshot() {
    return snapshot;
  }

  /**
   * Device, inode and size of the mapped file when it was opened.
   *
   * @return the status
   */
  public FileStatus fileStatus() {
    return mapping.status;
  }

  /**
   * The pid of the process holding this ring's exclusive writer lock, found in {@code /proc/locks}.
   *
   * @return the pid, or empty for a snapshot or when no single exclusive writer holds the file
   */
  public OptionalLong writerPid() {
    return snapshot ? OptionalLong.empty() : RingLiveness.exclusiveWriterPid(mapping.status);
  }

  /**
   * Checks that the file is still as long as the ring ({@code fstat}; a system call, so for idle
   * paths, not per event). A file truncated under the mapping makes reads fault; the JVM reports
   * such a fault as an {@link InternalError}, possibly a little after the read that caused it, so
   * followers call this when idle to get a clear error instead.
   *
   * @throws RingException of kind {@link RingException.Kind#TRUNCATED} if the file shrank
   */
  public void checkNotTruncated() {
    if (snapshot) {
      return; // the decompressed copy is private to this process
    }
    long size;
    try {
      size = mapping.file.size();
    } catch (OsException e) {
      throw new RingException(
          RingException.Kind.IO, "cannot stat " + path + ": " + e.getMessage(), e);
    }
    long needed = mapping.header.size().storageSize();
    if (size <= needed - RingLayout.BASE_PAGE) {
      throw new RingException(
          RingException.Kind.TRUNCATED,
          path
              + " was truncated to "
              + size
              + " bytes while mapped (the ring needs "
              + needed
              + "); reopen the ring once its writer has recreated it");
    }
  }

  /** The mapped segments, for the snapshot writer. */
  RingMapping mapping() {
    return mapping;
  }

  /** Unmaps the ring and closes the file; readers must not be used afterwards. */
  @Override
  public void close() {
    mapping.close();
  }

  @Override
  public String toString() {
    return "EventRing(" + path + ", " + mapping.header + ")";
  }
}
