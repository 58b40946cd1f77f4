package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.os.internal.MappedRegion;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedRegionTest {
  private static final int PAGE = 4096;

  @Test
  void sharedMappingWritesThroughToTheFile(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("data"), new byte[PAGE]);
    try (OwnedFd fd = TestFiles.openReadWrite(file);
        MappedRegion region =
            MappedRegion.map(
                fd,
                0,
                PAGE,
                MappedRegion.PROT_READ | MappedRegion.PROT_WRITE,
                MappedRegion.MAP_SHARED)) {
      region.segment().set(ValueLayout.JAVA_LONG, 8, 0x0102030405060708L);
    }
    assertEquals(0x08, Files.readAllBytes(file)[8]);
  }

  @Test
  void doubleMappingMakesTheEndContinueAtTheStart(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("ring"), new byte[PAGE]);
    try (OwnedFd fd = TestFiles.openReadWrite(file);
        MappedRegion view = MappedRegion.reserve(2 * PAGE)) {
      int rw = MappedRegion.PROT_READ | MappedRegion.PROT_WRITE;
      view.mapFixed(0, fd, 0, PAGE, rw, MappedRegion.MAP_SHARED);
      view.mapFixed(PAGE, fd, 0, PAGE, rw, MappedRegion.MAP_SHARED);
      MemorySegment ring = view.segment();
      // A value written across the seam lands at the end and the start of the same page.
      ring.set(ValueLayout.JAVA_LONG_UNALIGNED, PAGE - 4, 0x1122334455667788L);
      assertEquals(0x11223344, ring.get(ValueLayout.JAVA_INT_UNALIGNED, PAGE + 0));
      assertEquals(0x55667788, ring.get(ValueLayout.JAVA_INT_UNALIGNED, PAGE - 4));
      assertEquals(0x11223344, ring.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
    }
  }

  @Test
  void accessAfterCloseIsAnExceptionNotACrash(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("gone"), new byte[PAGE]);
    MemorySegment segment;
    try (OwnedFd fd = TestFiles.openReadOnly(file)) {
      MappedRegion region =
          MappedRegion.map(fd, 0, PAGE, MappedRegion.PROT_READ, MappedRegion.MAP_SHARED);
      segment = region.segment();
      region.close();
      region.close();
    }
    assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
  }

  @Test
  void kernelRefusalsCarryErrno(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("ro"), new byte[PAGE]);
    try (OwnedFd fd = TestFiles.openReadOnly(file);
        MappedRegion view = MappedRegion.reserve(PAGE)) {
      // Writable shared mapping of a read-only fd: EACCES. Unaligned offset: EINVAL.
      assertEquals(
          Errno.EACCES,
          assertThrows(
                  OsException.class,
                  () ->
                      MappedRegion.map(
                          fd, 0, PAGE, MappedRegion.PROT_WRITE, MappedRegion.MAP_SHARED))
              .errno());
      assertEquals(
          Errno.EINVAL,
          assertThrows(
                  OsException.class,
                  () ->
                      MappedRegion.map(
                          fd, 1, PAGE, MappedRegion.PROT_READ, MappedRegion.MAP_SHARED))
              .errno());
      assertThrows(
          IllegalArgumentException.class,
          () -> view.mapFixed(0, fd, 0, 2 * PAGE, MappedRegion.PROT_READ, MappedRegion.MAP_SHARED));
    }
  }
}
