package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.FileSystemCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemCallsTest {
  @TempDir Path dir;

  @Test
  void renameNoReplaceMovesToAFreeName() throws IOException {
    Path from = dir.resolve("tmp");
    Path to = dir.resolve("final");
    Files.writeString(from, "new");
    assertTrue(FileSystemCalls.renameNoReplace(from, to));
    assertFalse(Files.exists(from));
    assertEquals("new", Files.readString(to));
  }

  @Test
  void renameNoReplaceLeavesAnExistingTargetAlone() throws IOException {
    Path from = dir.resolve("tmp");
    Path to = dir.resolve("final");
    Files.writeString(from, "new");
    Files.writeString(to, "old");
    assertFalse(FileSystemCalls.renameNoReplace(from, to));
    assertEquals("old", Files.readString(to));
    assertEquals("new", Files.readString(from));
  }

  @Test
  void renameOfAMissingFileThrowsWithThePath() {
    Path from = dir.resolve("nothing");
    OsException e =
        assertThrows(
            OsException.class, () -> FileSystemCalls.renameNoReplace(from, dir.resolve("x")));
    assertEquals(Errno.ENOENT, e.errno());
    assertTrue(e.getMessage().contains("nothing"), e.getMessage());
  }

  @Test
  void unlinkRemovesOnceThenReportsMissing() throws IOException {
    Path p = dir.resolve("f");
    Files.writeString(p, "x");
    assertTrue(FileSystemCalls.unlink(p));
    assertFalse(Files.exists(p));
    assertFalse(FileSystemCalls.unlink(p));
  }

  @Test
  void unlinkOfADirectoryFails() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    OsException e = assertThrows(OsException.class, () -> FileSystemCalls.unlink(sub));
    assertEquals(21, e.errno()); // EISDIR: Linux refuses to unlink a directory
  }
}
