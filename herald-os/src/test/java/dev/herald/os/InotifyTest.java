package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InotifyTest {
  @Test
  void reportsCreationAndDeletionByName(@TempDir Path dir) throws IOException {
    try (Inotify inotify = Inotify.create()) {
      int wd = inotify.addWatch(dir, Inotify.CREATE | Inotify.DELETE);
      assertTrue(inotify.take().isEmpty());
      Path file = Files.writeString(dir.resolve("hello.txt"), "hi");
      Files.delete(file);
      List<Inotify.Event> events = inotify.take();
      assertEquals(2, events.size(), events.toString());
      assertEquals(new Inotify.Event(wd, Inotify.CREATE, 0, "hello.txt"), events.get(0));
      assertEquals(new Inotify.Event(wd, Inotify.DELETE, 0, "hello.txt"), events.get(1));
      inotify.removeWatch(wd);
      assertEquals(Inotify.IGNORED, inotify.take().getFirst().mask());
    }
  }

  @Test
  void missingPathAndUnknownWatchFail(@TempDir Path dir) {
    try (Inotify inotify = Inotify.create()) {
      OsException e =
          assertThrows(
              OsException.class, () -> inotify.addWatch(dir.resolve("nope"), Inotify.CREATE));
      assertEquals(Errno.ENOENT, e.errno());
      assertTrue(e.getMessage().contains("nope"));
      assertEquals(
          Errno.EINVAL, assertThrows(OsException.class, () -> inotify.removeWatch(12345)).errno());
    }
  }
}
