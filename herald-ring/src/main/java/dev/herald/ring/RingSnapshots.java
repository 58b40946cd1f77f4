package dev.herald.ring;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Ring snapshots: a whole ring file compressed as one zstd frame, as upstream's test fixtures are.
 * Decompression writes a sparse file (runs of zero bytes become holes), so a mostly empty 640 MiB
 * ring costs only the memory its events use.
 *
 * <pre>{@code
 * RingSnapshots.write(liveRing, Path.of("ring.snapshot.zst"));
 * try (EventRing copy = EventRing.openSnapshot(Path.of("ring.snapshot.zst"), ContentType.TEST)) {
 *   ...
 * }
 * }</pre>
 */
public final class RingSnapshots {
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
  private static final int CHUNK = 1 << 20;
  private static final byte[] ZEROS = new byte[CHUNK];

  /** Permissions of a new snapshot before the umask, as for any file a program creates. */
  private static final FileAttribute<Set<PosixFilePermission>> NEW_FILE_PERMISSIONS =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-"));

  /** How many times a snapshot is copied again when the writer moved the window meanwhile. */
  private static final int COPY_ATTEMPTS = 3;

  private RingSnapshots() {}

  /**
   * Whether a file is a zstd snapshot of a ring ({@code monad_event_is_snapshot_file}): it starts
   * with the zstd magic and decompresses to something starting with {@code RING01}.
   *
   * @param file the file
   * @return true for a ring snapshot
   */
  public static boolean isSnapshot(Path file) {
    if (FileKind.of(file) != FileKind.REGULAR) {
      return false; // opening a FIFO to look would block until someone writes to it
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      if (!Arrays.equals(magic, ZSTD_MAGIC)) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    try (InputStream in = new ZstdInputStream(Files.newInputStream(file))) {
      return Arrays.equals(in.readNBytes(RingLayout.MAGIC.length), RingLayout.MAGIC);
    } catch (IOException | RuntimeException e) {
      return false; // corrupt zstd data is "not a snapshot", not a crash
    }
  }

  /**
   * Decompresses a snapshot into {@code target} (created; must not exist). The output may be up to
   * 15 bytes shorter than the ring's storage size, as upstream snapshots are.
   *
   * @param snapshot the compressed file
   * @param target the ring file to write
   * @throws RingException of kind {@link RingException.Kind#NOT_A_SNAPSHOT} if the data is not a
   *     zstd ring, or decompresses to more than its header's storage size, or {@link
   *     RingException.Kind#NOT_REGULAR_FILE} if {@code snapshot} is a FIFO, a directory or a device
   */
  public static void decompress(Path snapshot, Path target) {
    FileKind kind = FileKind.of(snapshot);
    if (kind == null) {
      throw new RingException(
          RingException.Kind.IO, "cannot open ring snapshot " + snapshot + ": no such file");
    }
    kind.requireRegular(snapshot, "a ring snapshot");
    try (InputStream in = new ZstdInputStream(Files.newInputStream(snapshot));
        FileChannel out =
            FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] chunk = new byte[CHUNK];
      long limit = Long.MAX_VALUE;
      long position = 0;
      while (true) {
        int n = in.readNBytes(chunk, 0, CHUNK);
        if (n == 0) {
          break;
        }
        if (position == 0) {
          limit = storageSizeOf(chunk, n, snapshot);
        }
        if (position + n > limit) {
          throw new RingException(
              RingException.Kind.NOT_A_SNAPSHOT,
              snapshot + " decompresses to more than the " + limit + " bytes its ring header says");
        }
        if (!allZero(chunk, n)) {
          out.write(ByteBuffer.wrap(chunk, 0, n), position);
        }
        position += n;
      }
      if (position == 0) {
        throw new RingException(RingException.Kind.NOT_A_SNAPSHOT, snapshot + " is empty");
      }
      if (out.size() < position) {
        // Trailing zeros were skipped: extend with a hole so the length is right.
        out.write(ByteBuffer.wrap(new byte[1]), position - 1);
      }
    } catch (IOException | RuntimeException e) {
      deleteQuietly(target);
      if (e instanceof RingException re) {
        throw re;
      }
      throw new RingException(
          RingException.Kind.NOT_A_SNAPSHOT,
          "cannot decompress ring snapshot " + snapshot + ": " + e,
          e);
    }
  }

  private static long storageSizeOf(byte[] first, int n, Path snapshot) {
    if (n < RingLayout.HEADER_SIZE) {
      throw new RingException(
          RingException.Kind.NOT_A_SNAPSHOT,
          snapshot + " decompresses to " + n + " bytes, too few for a ring header");
    }
    return RingHeader.read(MemorySegment.ofArray(first), snapshot.toString()).size().storageSize();
  }

  private static boolean allZero(byte[] chunk, int n) {
    return Arrays.mismatch(chunk, 0, n, ZEROS, 0, n) < 0;
  }

  /** Decompresses into a new temporary file, in {@code /dev/shm} when there is one. */
  static Path decompressToTemporary(Path snapshot) {
    Path dir = Path.of("/dev/shm");
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      dir = Path.of(System.getProperty("java.io.tmpdir"));
    }
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, "herald-ring-snapshot-", ".ring");
      Files.delete(tmp); // decompress creates it exclusively
    } catch (IOException e) {
      throw new RingException(
          RingException.Kind.IO, "cannot create a temporary file in " + dir + ": " + e, e);
    }
    decompress(snapshot, tmp);
    return tmp;
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Best effort: a leftover temporary file is harmless.
    }
  }

  /**
   * Writes a snapshot of a ring as it is now: header page, descriptors, payload buffer and context
   * area, compressed as one zstd frame. The snapshot is written under a temporary name in the
   * target's directory and renamed into place, so {@code target} is either left as it was or
   * replaced whole; the temporary file is removed on failure.
   *
   * <p>A live ring keeps changing while it is copied, so the copy is made consistent with the
   * header it carries: the control block is read first; a descriptor is copied only if it did not
   * change during its copy and its event is within that control block (a later one is left empty);
   * and the buffer window written is checked, once the payload bytes are copied, to cover every
   * payload the writer overwrote meanwhile. When the writer moved the window during the copy, the
   * copy is made again with a window further on (older payloads then read as expired), up to three
   * times. A snapshot of a quiet ring is exact.
   *
   * @param ring the ring (live or itself a snapshot)
   * @param target the file to create or replace; it must not be the ring itself
   * @throws RingException of kind {@link RingException.Kind#IO} if {@code target} names the ring's
   *     own file or cannot be written, {@link RingException.Kind#NOT_REGULAR_FILE} if it names a
   *     FIFO, directory or device, or {@link RingException.Kind#BUSY} if the writer kept moving the
   *     window faster than the copy
   */
  public static void write(EventRing ring, Path target) {
    refuseToReplace(ring, target);
    Path name = target.getFileName();
    Path dir = target.toAbsolutePath().getParent();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, "." + name + ".", ".tmp", NEW_FILE_PERMISSIONS);
    } catch (IOException e) {
      throw new RingException(
          RingException.Kind.IO, "cannot create a temporary file in " + dir + ": " + e, e);
    }
    try {
      writeConsistently(ring, tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new RingException(
          RingException.Kind.IO, "cannot write snapshot " + target + ": " + e, e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    } catch (InternalError e) {
      deleteQuietly(tmp);
      throw ring.truncatedUnderMapping(e);
    }
  }

  /** Refuses a target that is the ring's own file, or not a regular file. */
  private static void refuseToReplace(EventRing ring, Path target) {
    FileKind kind = FileKind.of(target);
    if (kind == null) {
      return;
    }
    kind.requireRegular(target, "replaced by a snapshot");
    FileIdentity existing = FileIdentity.of(target);
    if (FileIdentity.of(ring.fileStatus()).equals(existing)
        || (existing != null && existing.equals(FileIdentity.of(ring.path())))) {
      throw new RingException(
          RingException.Kind.IO,
          "refusing to write the snapshot of "
              + ring.path()
              + " to "
              + target
              + ": it is the same file as the ring; choose another snapshot file");
    }
  }

  /** Copies until a copy is consistent, moving the declared window on after each failure. */
  private static void writeConsistently(EventRing ring, Path tmp) throws IOException {
    long margin = 0;
    for (int attempt = 1; ; attempt++) {
      long moved = writeOnce(ring, tmp, margin);
      if (moved == 0) {
        return;
      }
      if (attempt == COPY_ATTEMPTS) {
        throw new RingException(
            RingException.Kind.BUSY,
            "cannot snapshot "
                + ring.path()
                + ": its writer moved the payload window by "
                + moved
                + " bytes while the copy ran, "
                + COPY_ATTEMPTS
                + " times; snapshot it when it records less");
      }
      margin = 2 * moved; // the window moves in whole steps; allow for twice as many next time
    }
  }

  /**
   * One copy into {@code tmp} (truncated first).
   *
   * @return 0 if the copy is consistent; else how far the writer moved the window past the one
   *     declared in the copied header
   */
  private static long writeOnce(EventRing ring, Path tmp, long margin) throws IOException {
    RingMapping m = ring.mapping();
    RingSize size = m.header.size();
    // last_seqno before next_payload_byte: an event is allocated its seqno first, its payload
    // second.
    long lastSeqno = ring.lastSeqno();
    long nextPayloadByte = ring.nextPayloadByte();
    long window = ring.bufferWindowStart();
    long declaredWindow = window + margin;
    try (OutputStream out =
        new ZstdOutputStream(
            new BufferedOutputStream(
                Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING), CHUNK))) {
      byte[] chunk = new byte[CHUNK];
      copyHeaderPage(m.headerPage, lastSeqno, nextPayloadByte, declaredWindow, chunk, out);
      copyDescriptors(m, lastSeqno, nextPayloadByte, chunk, out);
      copy(m.payload, size.payloadBufSize(), chunk, out);
      if (size.contextAreaSize() > 0) {
        copy(m.context, size.contextAreaSize(), chunk, out);
      }
    }
    // Every payload byte the writer overwrote before we copied it belongs to an event whose offset
    // is below the window it had moved to first; the declared window must cover that one.
    VarHandle.loadLoadFence();
    long windowAfter = ring.bufferWindowStart();
    return Long.compareUnsigned(windowAfter, declaredWindow) > 0 ? windowAfter - window : 0;
  }

  /** The header page, with the control block replaced by the values the copy is consistent with. */
  private static void copyHeaderPage(
      MemorySegment page,
      long lastSeqno,
      long nextPayloadByte,
      long window,
      byte[] chunk,
      OutputStream out)
      throws IOException {
    MemorySegment.copy(page, ValueLayout.JAVA_BYTE, 0, chunk, 0, CHUNK);
    MemorySegment header = MemorySegment.ofArray(chunk);
    header.set(RingLayout.LONG, RingLayout.HDR_LAST_SEQNO, lastSeqno);
    header.set(RingLayout.LONG, RingLayout.HDR_NEXT_PAYLOAD_BYTE, nextPayloadByte);
    header.set(RingLayout.LONG, RingLayout.HDR_BUFFER_WINDOW_START, window);
    out.write(chunk, 0, CHUNK);
    copy(page.asSlice(CHUNK), RingLayout.PAGE_2MB - CHUNK, chunk, out);
  }

  /**
   * The descriptor array, each slot copied as a reader copies it (sequence number, fields, sequence
   * number again). A slot that changed meanwhile, is being written, or holds an event the header
   * does not cover yet (allocated after {@code lastSeqno} or {@code nextPayloadByte} were read) is
   * written empty.
   */
  private static void copyDescriptors(
      RingMapping m, long lastSeqno, long nextPayloadByte, byte[] chunk, OutputStream out)
      throws IOException {
    long total = m.descriptors.byteSize();
    MemorySegment copy = MemorySegment.ofArray(chunk);
    for (long at = 0; at < total; at += CHUNK) {
      int n = (int) Math.min(CHUNK, total - at);
      for (int i = 0; i < n; i += (int) RingLayout.DESCRIPTOR_SIZE) {
        long slot = at + i;
        long seqno = (long) RingLayout.ATOMIC_LONG.getAcquire(m.descriptors, slot);
        MemorySegment.copy(m.descriptors, slot, copy, i, RingLayout.DESCRIPTOR_SIZE);
        VarHandle.loadLoadFence();
        long again = (long) RingLayout.ATOMIC_LONG.getAcquire(m.descriptors, slot);
        long end =
            copy.get(RingLayout.LONG, i + RingLayout.DESC_PAYLOAD_BUF_OFFSET)
                + Integer.toUnsignedLong(
                    copy.get(RingLayout.INT, i + RingLayout.DESC_PAYLOAD_SIZE));
        if (seqno == 0
            || again != seqno
            || Long.compareUnsigned(seqno, lastSeqno) > 0
            || Long.compareUnsigned(end, nextPayloadByte) > 0) {
          copy.asSlice(i, RingLayout.DESCRIPTOR_SIZE).fill((byte) 0);
        }
      }
      out.write(chunk, 0, n);
    }
  }

  private static void copy(MemorySegment from, long length, byte[] chunk, OutputStream out)
      throws IOException {
    for (long at = 0; at < length; at += chunk.length) {
      int n = (int) Math.min(chunk.length, length - at);
      MemorySegment.copy(from, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }
}
