package dev.herald.ring;

import dev.herald.os.FileStatus;
import dev.herald.os.OsException;
import dev.herald.os.internal.MappedRegion;
import dev.herald.os.internal.RegularFile;
import java.lang.foreign.MemorySegment;

/**
 * A ring file mapped into memory the way upstream maps it: the header page, the descriptor array,
 * and the payload buffer mapped twice back to back so a payload that crosses the buffer's physical
 * end reads (and is written) as one contiguous range.
 *
 * <p>Shared by readers ({@code PROT_READ}) and the writer ({@code PROT_READ|PROT_WRITE}). It owns
 * the open file and every mapping; {@link #close()} releases them all.
 */
final class RingMapping implements AutoCloseable {
  final RegularFile file;
  final FileStatus status;
  final RingHeader header;
  final MemorySegment headerPage;
  final MemorySegment descriptors;
  final MemorySegment payload;
  final MemorySegment context;
  final long descriptorMask;
  final long payloadMask;

  private final MappedRegion headerRegion;
  private final MappedRegion descriptorRegion;
  private final MappedRegion payloadRegion;
  private final MappedRegion contextRegion;

  private RingMapping(
      RegularFile file,
      FileStatus status,
      RingHeader header,
      MappedRegion headerRegion,
      MappedRegion descriptorRegion,
      MappedRegion payloadRegion,
      MappedRegion contextRegion) {
    this.file = file;
    this.status = status;
    this.header = header;
    this.headerRegion = headerRegion;
    this.descriptorRegion = descriptorRegion;
    this.payloadRegion = payloadRegion;
    this.contextRegion = contextRegion;
    this.headerPage = headerRegion.segment();
    this.descriptors = descriptorRegion.segment();
    this.payload = payloadRegion.segment();
    this.context = contextRegion == null ? MemorySegment.NULL : contextRegion.segment();
    this.descriptorMask = header.size().descriptorCapacity() - 1;
    this.payloadMask = header.size().payloadBufSize() - 1;
  }

  /**
   * Maps an open ring file; on failure the file is closed and nothing stays mapped.
   *
   * @param file the open file (ownership passes to the mapping)
   * @param writable whether to map read-write (the writer) or read-only (readers)
   */
  static RingMapping map(RegularFile file, boolean writable) {
    String name = file.path().toString();
    int prot = writable ? MappedRegion.PROT_READ | MappedRegion.PROT_WRITE : MappedRegion.PROT_READ;
    MappedRegion headerRegion = null;
    MappedRegion descriptorRegion = null;
    MappedRegion payloadRegion = null;
    MappedRegion contextRegion = null;
    try {
      FileStatus status = file.status();
      if (status.size() < RingLayout.HEADER_SIZE) {
        throw new RingException(
            RingException.Kind.TRUNCATED,
            name
                + " has "
                + status.size()
                + " bytes, fewer than the 192-byte ring header: not an event ring, or truncated");
      }
      headerRegion = MappedRegion.map(file, 0, RingLayout.PAGE_2MB, prot, MappedRegion.MAP_SHARED);
      RingHeader header = RingHeader.read(headerRegion.segment(), name);
      RingSize size = header.size();
      // Upstream snapshots are up to 15 bytes short; any shortfall inside the last page reads as
      // zeros. A page wholly past the end would fault (SIGBUS) when touched, so refuse that.
      if (status.size() <= size.storageSize() - RingLayout.BASE_PAGE) {
        throw new RingException(
            RingException.Kind.TRUNCATED,
            name
                + " has "
                + status.size()
                + " bytes but its header ("
                + size
                + ") needs "
                + size.storageSize()
                + ": the file is truncated or was not fully written");
      }
      long descriptorBytes = size.descriptorCapacity() * RingLayout.DESCRIPTOR_SIZE;
      descriptorRegion =
          MappedRegion.map(
              file, size.descriptorsOffset(), descriptorBytes, prot, MappedRegion.MAP_SHARED);
      long s = size.payloadBufSize();
      payloadRegion = MappedRegion.reserve(2 * s);
      payloadRegion.mapFixed(0, file, size.payloadOffset(), s, prot, MappedRegion.MAP_SHARED);
      payloadRegion.mapFixed(s, file, size.payloadOffset(), s, prot, MappedRegion.MAP_SHARED);
      if (size.contextAreaSize() > 0) {
        contextRegion =
            MappedRegion.map(
                file, size.contextOffset(), size.contextAreaSize(), prot, MappedRegion.MAP_SHARED);
      }
      return new RingMapping(
          file, status, header, headerRegion, descriptorRegion, payloadRegion, contextRegion);
    } catch (OsException e) {
      closeAll(file, headerRegion, descriptorRegion, payloadRegion, contextRegion);
      throw new RingException(
          RingException.Kind.IO, "cannot map event ring " + name + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(file, headerRegion, descriptorRegion, payloadRegion, contextRegion);
      throw e;
    }
  }

  private static void closeAll(RegularFile file, MappedRegion... regions) {
    for (MappedRegion r : regions) {
      if (r != null) {
        r.close();
      }
    }
    file.close();
  }

  String name() {
    return file.path().toString();
  }

  @Override
  public void close() {
    closeAll(file, contextRegion, payloadRegion, descriptorRegion, headerRegion);
  }
}
