package dev.herald.ring;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

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

  private RingSnapshots() {}

  /**
   * Whether a file is a zstd snapshot of a ring ({@code monad_event_is_snapshot_file}): it starts
   * with the zstd magic and decompresses to something starting with {@code RING01}.
   *
   * @param file the file
   * @return true for a ring snapshot
   */
  public static boolean isSnapshot(Path file) {
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
   *     zstd ring, or decompresses to more than its header's storage size
   */
  public static void decompress(Path snapshot, Path target) {
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
   * area, compressed as one zstd frame. Events written while the copy runs may be torn; a reader of
   * the snapshot sees them as gaps or expired payloads, never as wrong data with a valid seqno
   * check.
   *
   * @param ring the ring (live or itself a snapshot)
   * @param target the file to create (replaced if it exists)
   */
  public static void write(EventRing ring, Path target) {
    RingMapping m = ring.mapping();
    RingSize size = m.header.size();
    try (OutputStream out =
        new ZstdOutputStream(new BufferedOutputStream(Files.newOutputStream(target), CHUNK))) {
      byte[] chunk = new byte[CHUNK];
      copy(m.headerPage, RingLayout.PAGE_2MB, chunk, out);
      copy(m.descriptors, size.descriptorCapacity() * RingLayout.DESCRIPTOR_SIZE, chunk, out);
      copy(m.payload, size.payloadBufSize(), chunk, out);
      if (size.contextAreaSize() > 0) {
        copy(m.context, size.contextAreaSize(), chunk, out);
      }
    } catch (IOException e) {
      deleteQuietly(target);
      throw new RingException(
          RingException.Kind.IO, "cannot write snapshot " + target + ": " + e, e);
    } catch (InternalError e) {
      deleteQuietly(target);
      throw ring.truncatedUnderMapping(e);
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
