package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.RegularFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegularFileTest {
  @TempDir Path dir;

  @Test
  void createExclusiveRefusesAnExistingName() {
    Path p = dir.resolve("a");
    try (RegularFile f = RegularFile.createExclusive(p, 0640)) {
      assertTrue(Files.exists(p));
      assertTrue(f.isCloseOnExec());
    }
    OsException e = assertThrows(OsException.class, () -> RegularFile.createExclusive(p, 0640));
    assertEquals(Errno.EEXIST, e.errno());
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
  }

  @Test
  void createdModeIsTheOneAskedForUnderTheUmask() throws IOException {
    Path p = dir.resolve("m");
    try (RegularFile f = RegularFile.createExclusive(p, 0600)) {
      assertEquals(0600, f.status().mode() & 0777);
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
  }

  @Test
  void allocateGrowsTheFileAndStatusReportsItsInode() throws IOException {
    Path p = dir.resolve("b");
    try (RegularFile f = RegularFile.createExclusive(p, 0664)) {
      assertEquals(0, f.size());
      f.allocate(0, 3 << 20);
      FileStatus st = f.status();
      assertEquals(3 << 20, st.size());
      assertEquals(Files.size(p), st.size());
      assertEquals(((Number) Files.getAttribute(p, "unix:ino")).longValue(), st.inode());
      assertEquals(((Number) Files.getAttribute(p, "unix:dev")).longValue(), st.device());
      f.truncate(100);
      assertEquals(100, f.size());
    }
  }

  @Test
  void deviceNumbersDecodeLikeGlibc() {
    // makedev(259, 70000): minor bits are split around the major's 12 low bits.
    long major = 259;
    long minor = 70000;
    long dev =
        ((major & 0xfffL) << 8)
            | ((major & ~0xfffL) << 32)
            | (minor & 0xffL)
            | ((minor & ~0xffL) << 12);
    FileStatus st = new FileStatus(dev, 1, 0, 0);
    assertEquals(major, st.deviceMajor());
    assertEquals(minor, st.deviceMinor());
  }

  @Test
  void openReadOnlyCannotBeWrittenAndMissingFileNamesThePath() throws IOException {
    Path p = dir.resolve("c");
    Files.writeString(p, "x");
    try (RegularFile f = RegularFile.openReadOnly(p)) {
      OsException e = assertThrows(OsException.class, () -> f.allocate(0, 10));
      assertEquals(Errno.EBADF, e.errno());
    }
    Path missing = dir.resolve("missing");
    OsException e = assertThrows(OsException.class, () -> RegularFile.openReadWrite(missing));
    assertEquals(Errno.ENOENT, e.errno());
    assertTrue(e.getMessage().contains("missing"));
  }

  @Test
  void flockThroughTwoOpensOfTheSameFileConflicts() {
    Path p = dir.resolve("lock");
    try (RegularFile b = RegularFile.createExclusive(p, 0664)) {
      RegularFile a = RegularFile.openReadOnly(p);
      assertTrue(a.flock(FileLock.EXCLUSIVE, false));
      assertFalse(b.flock(FileLock.EXCLUSIVE, false));
      a.close();
      assertTrue(a.isClosed());
      // Closing the holder's only descriptor releases the lock.
      assertTrue(b.flock(FileLock.EXCLUSIVE, false));
    }
  }

  @Test
  void sameFileHasSameInodeAndAReplacedOneDoesNot() throws IOException {
    Path p = dir.resolve("d");
    long first;
    try (RegularFile f = RegularFile.createExclusive(p, 0664)) {
      first = f.status().inode();
    }
    try (RegularFile f = RegularFile.openReadOnly(p)) {
      assertEquals(first, f.status().inode());
    }
    Path other = dir.resolve("e");
    Files.writeString(other, "y");
    try (RegularFile f = RegularFile.openReadOnly(other)) {
      assertNotEquals(first, f.status().inode());
    }
  }
}
