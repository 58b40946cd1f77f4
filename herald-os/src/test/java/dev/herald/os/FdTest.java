package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdTest {
  @Test
  void fcntlFlagsRoundTrip() {
    try (Pipe pipe = Pipe.create(0)) {
      Fd raw = Fd.of(pipe.source().fd());
      assertFalse(raw.isNonBlocking());
      raw.nonBlocking(true);
      assertTrue(raw.isNonBlocking());
      raw.nonBlocking(false);
      assertFalse(raw.isNonBlocking());
      assertTrue(raw.isCloseOnExec());
      raw.closeOnExec(false);
      assertFalse(raw.isCloseOnExec());
    }
  }

  @Test
  void callsOnABadFdFailWithEbadf() {
    Fd bad = Fd.of(987_654);
    assertEquals(Errno.EBADF, assertThrows(OsException.class, bad::isNonBlocking).errno());
    try (Arena arena = Arena.ofConfined()) {
      OsException e = assertThrows(OsException.class, () -> bad.read(arena.allocate(1)));
      assertEquals(Errno.EBADF, e.errno());
      assertEquals("read", e.call());
      assertTrue(
          e.getMessage().startsWith("read on fd 987654: EBADF (Bad file descriptor)"),
          e.getMessage());
    }
  }

  @Test
  void closingTwiceIsHarmlessAndClosingBehindTheOwnersBackIsReported() {
    Pipe pipe = Pipe.create(0);
    OwnedFd source = pipe.source();
    int number = source.fd();
    source.close();
    source.close();
    assertTrue(source.isClosed());
    OwnedFd stale = OwnedFd.adopt(number); // the number is free now: closing it is EBADF
    assertEquals(Errno.EBADF, assertThrows(OsException.class, stale::close).errno());
    pipe.close();
    assertThrows(IllegalArgumentException.class, () -> OwnedFd.adopt(-1));
  }

  @Test
  void flockExcludesASecondOpenFileDescription(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("lock"), "");
    try (OwnedFd first = TestFiles.openReadOnly(file);
        OwnedFd second = TestFiles.openReadOnly(file)) {
      assertTrue(first.flock(FileLock.EXCLUSIVE, false));
      assertFalse(second.flock(FileLock.SHARED, false));
      assertTrue(first.flock(FileLock.UNLOCK, false));
      assertTrue(second.flock(FileLock.SHARED, false));
      assertTrue(first.flock(FileLock.SHARED, true));
      assertFalse(first.flock(FileLock.EXCLUSIVE, false)); // second still shares it
    }
  }

  @Test
  void errnoNamesComeFromTheCLibrary() {
    assertEquals("EAGAIN", Errno.name(Errno.EAGAIN));
    assertEquals("Invalid argument", Errno.description(Errno.EINVAL));
    assertEquals("errno 4000", Errno.name(4000));
    assertTrue(Errno.description(4000).contains("4000"));
  }
}
