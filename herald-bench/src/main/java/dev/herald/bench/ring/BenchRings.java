package dev.herald.bench.ring;

import dev.herald.ring.ContentType;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.WriterThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;

/** The two rings under test, each in its own {@code /dev/shm} file of the same payload capacity. */
final class BenchRings {
  /** 128 MiB of payload for both: the smallest RING01 buffer, a power of two for Agrona. */
  static final int CAPACITY = 1 << 27;

  /** JVM flags for forks: native access for herald-os, jdk.internal.misc for Agrona 2.x. */
  static final String[] JVM_ARGS = {
    "--enable-native-access=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow",
    "-Dagrona.disable.bounds.checks=true"
  };

  private BenchRings() {}

  static Path path(String name) {
    return Path.of("/dev/shm", "herald-bench-" + name + "-" + ProcessHandle.current().pid());
  }

  static RingWriter heraldRing(Path path) {
    return heraldRing(path, WriterThreads.SHARED);
  }

  static RingWriter heraldRing(Path path, WriterThreads threads) {
    return RingWriter.create(path, ContentType.TEST, RingSize.ofShifts(16, 27), threads);
  }

  /**
   * A new file opened for reading and writing, to map; fails if it exists.
   *
   * @throws IOException if it cannot be created
   */
  static FileChannel newFileToMap(Path path) throws IOException {
    return FileChannel.open(
        path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** A broadcast buffer mapped from a new file; the mapping outlives the deleted file. */
  static UnsafeBuffer agronaBuffer(Path path) {
    try (FileChannel ch = newFileToMap(path)) {
      long size = CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH;
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
      return new UnsafeBuffer(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
