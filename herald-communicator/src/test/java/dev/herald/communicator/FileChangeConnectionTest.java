package dev.herald.communicator;

import static dev.herald.communicator.FileEvent.ACCESS;
import static dev.herald.communicator.FileEvent.ATTRIBUTES;
import static dev.herald.communicator.FileEvent.CHANGES;
import static dev.herald.communicator.FileEvent.CREATED;
import static dev.herald.communicator.FileEvent.DELETED;
import static dev.herald.communicator.FileEvent.DIRECTORY;
import static dev.herald.communicator.FileEvent.EXISTS;
import static dev.herald.communicator.FileEvent.GONE;
import static dev.herald.communicator.FileEvent.LOST_SYNC;
import static dev.herald.communicator.FileEvent.READ;
import static dev.herald.communicator.FileEvent.RECURSIVE;
import static dev.herald.communicator.FileEvent.UPDATED;
import static dev.herald.communicator.FileEvent.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File-change connections over real files changed on disk. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FileChangeConnectionTest {
  private final Loop loop = new Loop().start();
  private final LinkedBlockingQueue<FileEvent> seen = new LinkedBlockingQueue<>();
  private final FileChangeConnection files =
      loop.call(() -> FileChangeConnection.open(loop.communicator, "files", (c, e) -> seen.add(e)));

  @TempDir Path dir;

  @AfterEach
  void close() {
    loop.close();
  }

  private void watchFiles(Path path, int events) {
    loop.run(() -> files.watchFiles(path, events));
  }

  /** What the loop reported for what happened on disk so far. */
  private List<FileEvent> settle() {
    loop.sync();
    List<FileEvent> events = new ArrayList<>();
    seen.drainTo(events);
    return events;
  }

  private FileEvent event(int events, String name) {
    return new FileEvent(dir, events, name);
  }

  @Test
  void reportsUpstreamsSequenceForAFileWrittenReadAndDeleted() throws IOException {
    watchFiles(dir, CHANGES);
    Path file = dir.resolve("f");
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
      out.write(new byte[] {1, 2, 3});
    }
    try (InputStream in = Files.newInputStream(file)) {
      assertEquals(3, in.readAllBytes().length);
    }
    Files.delete(file);
    assertEquals(
        List.of(
            event(CREATED, "f"),
            event(ACCESS, "f"),
            event(WRITE, "f"),
            event(ACCESS | UPDATED, "f"),
            event(ACCESS, "f"),
            event(READ, "f"),
            event(ACCESS, "f"),
            event(DELETED, "f")),
        settle());
  }

  @Test
  void reportsAChmodOnADirectoryWithTheDirectoryFlag() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    watchFiles(dir, ATTRIBUTES);
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
    assertEquals(List.of(event(ATTRIBUTES | DIRECTORY, "sub")), settle());
  }

  @Test
  void reportsOnlyTheEventsAskedFor() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    watchFiles(file, ATTRIBUTES | WRITE);
    Files.setLastModifiedTime(file, FileTime.fromMillis(0));
    Files.writeString(file, "more", StandardOpenOption.APPEND); // opens and closes: not asked for
    try (InputStream in = Files.newInputStream(file)) {
      in.readAllBytes(); // READ: not asked for
    }
    assertEquals(
        List.of(new FileEvent(file, ATTRIBUTES, ""), new FileEvent(file, WRITE, "")), settle());
  }

  @Test
  void reportsRenamesIntoTheDirectoryAsCreatedAndOutOfItAsDeleted(@TempDir Path elsewhere)
      throws IOException {
    Path outside = Files.writeString(elsewhere.resolve("moving"), "x");
    watchFiles(dir, CREATED | DELETED);
    Files.move(outside, dir.resolve("moved"));
    Files.move(dir.resolve("moved"), elsewhere.resolve("back"));
    assertEquals(List.of(event(CREATED, "moved"), event(DELETED, "moved")), settle());
  }

  @Test
  void aDeletedWatchedFileIsGoneOnceAndItsWatchEnds() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    watchFiles(file, DELETED);
    Files.delete(file);
    assertEquals(List.of(new FileEvent(file, DELETED | GONE, "")), settle());
    assertEquals(Set.of(), loop.call(files::kernelWatchedPaths));
    assertFalse(loop.call(() -> files.stopWatch(file)));
  }

  @Test
  void aWatchThatAskedForNoDeletionStillHearsThatItsFileIsGone() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    watchFiles(file, WRITE);
    Files.delete(file);
    assertEquals(List.of(new FileEvent(file, GONE, "")), settle());
  }

  @Test
  void symlinksAreFollowedByWatchFilesAndWatchedThemselvesByWatchSymlinks() throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "x");
    Path followed = Files.createSymbolicLink(dir.resolve("followed"), target);
    Path itself = Files.createSymbolicLink(dir.resolve("itself"), target);
    watchFiles(followed, WRITE);
    loop.run(() -> files.watchSymlinks(itself, WRITE | DELETED));
    Files.writeString(target, "y", StandardOpenOption.APPEND);
    Files.delete(itself);
    assertEquals(
        List.of(new FileEvent(followed, WRITE, ""), new FileEvent(itself, DELETED | GONE, "")),
        settle());
  }

  @Test
  void twoWatchesOnOneKernelWatchEachGetWhatTheyAskedFor() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolveSibling(dir.getFileName() + "-link"), dir);
    try {
      watchFiles(dir, CREATED);
      watchFiles(link, DELETED);
      assertEquals(1, loop.call(files::kernelWatchedPaths).size()); // one inode, one wd
      Files.delete(Files.createFile(dir.resolve("f")));
      assertEquals(List.of(event(CREATED, "f"), new FileEvent(link, DELETED, "f")), settle());
      assertTrue(loop.call(() -> files.stopWatch(dir)));
      Files.delete(Files.createFile(dir.resolve("g")));
      assertEquals(List.of(new FileEvent(link, DELETED, "g")), settle());
    } finally {
      Files.delete(link);
    }
  }

  @Test
  void aPatternFiltersTheNamesAndPatternsMerge() throws IOException {
    watchFiles(dir.resolve("*.txt"), CREATED);
    Files.createFile(dir.resolve("a.txt"));
    Files.createFile(dir.resolve("b.log"));
    Files.createFile(dir.resolve("c.txt"));
    assertEquals(List.of(event(CREATED, "a.txt"), event(CREATED, "c.txt")), settle());
    watchFiles(dir.resolve("{d,e}.log"), CREATED);
    Files.createFile(dir.resolve("d.log"));
    Files.createFile(dir.resolve("f.log"));
    Files.createFile(dir.resolve("g.txt"));
    assertEquals(List.of(event(CREATED, "d.log"), event(CREATED, "g.txt")), settle());
    assertEquals(Set.of(dir), loop.call(files::kernelWatchedPaths));
    assertTrue(loop.call(() -> files.stopWatch(dir.resolve("*.txt"))));
    Files.createFile(dir.resolve("h.txt"));
    assertEquals(List.of(), settle());
  }

  @Test
  void existsReportsWhatIsThereWhenTheWatchIsAdded() throws IOException {
    Files.createFile(dir.resolve("a.txt"));
    Files.createFile(dir.resolve("b.log"));
    Files.createFile(Files.createDirectory(dir.resolve("sub")).resolve("c.txt"));
    watchFiles(dir.resolve("*.txt"), EXISTS | CREATED);
    Files.createFile(dir.resolve("d.txt"));
    assertEquals(List.of(event(EXISTS, "a.txt"), event(CREATED, "d.txt")), settle());

    Path file = dir.resolve("a.txt");
    watchFiles(file, EXISTS | WRITE);
    assertEquals(List.of(new FileEvent(file, EXISTS, "")), settle());
  }

  @Test
  void existsUnderRecursiveReportsTheWholeTree() throws IOException {
    Files.createFile(Files.createDirectories(dir.resolve("sub/deeper")).resolve("c"));
    watchFiles(dir, EXISTS | CREATED | RECURSIVE);
    assertEquals(
        List.of(
            event(EXISTS | DIRECTORY, "sub"),
            event(EXISTS | DIRECTORY, "sub/deeper"),
            event(EXISTS, "sub/deeper/c")),
        settle());
  }

  @Test
  void recursiveWatchesSubdirectoriesAsTheyComeAndGo(@TempDir Path elsewhere) throws IOException {
    Files.createDirectory(dir.resolve("old"));
    watchFiles(dir, CREATED | DELETED | RECURSIVE);
    assertEquals(Set.of(dir, dir.resolve("old")), loop.call(files::kernelWatchedPaths));

    Files.createFile(dir.resolve("old/a"));
    Files.createDirectory(dir.resolve("new"));
    assertEquals(List.of(event(CREATED, "old/a"), event(CREATED | DIRECTORY, "new")), settle());
    Files.createFile(dir.resolve("new/b"));
    assertEquals(List.of(event(CREATED, "new/b")), settle());

    // A tree renamed in, already full: only reading it after watching it can report its files.
    Files.createFile(Files.createDirectories(elsewhere.resolve("tree/deeper")).resolve("c"));
    Files.move(elsewhere.resolve("tree"), dir.resolve("tree"));
    assertEquals(
        List.of(
            event(CREATED | DIRECTORY, "tree"),
            event(CREATED | DIRECTORY, "tree/deeper"),
            event(CREATED, "tree/deeper/c")),
        settle());
    Files.createFile(dir.resolve("tree/deeper/d"));
    assertEquals(List.of(event(CREATED, "tree/deeper/d")), settle());

    Files.move(dir.resolve("tree"), elsewhere.resolve("tree"));
    Files.delete(dir.resolve("new/b"));
    Files.delete(dir.resolve("new"));
    assertEquals(
        List.of(
            event(DELETED | DIRECTORY, "tree"),
            event(DELETED, "new/b"),
            event(DELETED | DIRECTORY, "new")),
        settle());
    assertEquals(Set.of(dir, dir.resolve("old")), loop.call(files::kernelWatchedPaths));
    Files.createFile(elsewhere.resolve("tree/deeper/e")); // out of the tree now
    assertEquals(List.of(), settle());
  }

  @Test
  void filesCreatedInANewSubdirectoryBeforeItsWatchAreReported() throws IOException {
    watchFiles(dir, CREATED | RECURSIVE);
    // The loop does not read while disabled: the subdirectories and the file all exist before
    // the loop hears of the first one.
    loop.run(() -> files.connection().setEnabled(false));
    loop.sync();
    Files.createFile(Files.createDirectories(dir.resolve("n1/n2")).resolve("f"));
    loop.run(() -> files.connection().setEnabled(true));
    assertEquals(
        List.of(
            event(CREATED | DIRECTORY, "n1"),
            event(CREATED | DIRECTORY, "n1/n2"),
            event(CREATED, "n1/n2/f")),
        settle());
    assertEquals(
        Set.of(dir, dir.resolve("n1"), dir.resolve("n1/n2")), loop.call(files::kernelWatchedPaths));
  }

  @Test
  void anOverflowingQueueReportsLostSync() throws IOException {
    // Files.readString reads a single byte of a /proc file on JDK 25 (its size says 0).
    long limit =
        Long.parseLong(
            Files.readAllLines(Path.of("/proc/sys/fs/inotify/max_queued_events"))
                .getFirst()
                .trim());
    Assumptions.assumeTrue(limit <= 100_000, "max_queued_events too large to overflow quickly");
    Path file = Files.writeString(dir.resolve("f"), "x");
    watchFiles(file, WRITE | ATTRIBUTES);
    loop.run(() -> files.connection().setEnabled(false));
    loop.sync();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      for (long i = 0;
          i <= limit / 2 + 10;
          i++) { // two events each: the kernel merges repeats only
        channel.write(one.clear(), 0);
        Files.setLastModifiedTime(file, FileTime.fromMillis(i));
      }
    }
    loop.run(() -> files.connection().setEnabled(true));
    List<FileEvent> events = settle();
    assertEquals(new FileEvent(Path.of("/"), LOST_SYNC, ""), events.getLast());
    assertEquals(limit + 1, events.size());
  }

  @Test
  void badWatchesFailWithAClearError() throws IOException {
    Path missing = dir.resolve("missing");
    CommunicatorException e =
        assertThrows(CommunicatorException.class, () -> watchFiles(missing, CREATED));
    assertEquals(CommunicatorException.Kind.WATCH_FAILED, e.kind());
    assertEquals(Errno.ENOENT, e.errno());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

    Path file = Files.createFile(dir.resolve("file"));
    e =
        assertThrows(
            CommunicatorException.class,
            () -> loop.run(() -> files.watchDirectories(file, CREATED)));
    assertEquals(20, e.errno()); // ENOTDIR

    for (Path bad : List.of(dir.resolve("*/x"), dir.resolve("[x"))) {
      e = assertThrows(CommunicatorException.class, () -> watchFiles(bad, CREATED));
      assertEquals(CommunicatorException.Kind.PARAMETER_ERROR, e.kind(), e.getMessage());
    }
    for (int mask : new int[] {0, EXISTS | RECURSIVE, CREATED | 0x10000}) {
      e = assertThrows(CommunicatorException.class, () -> watchFiles(dir, mask));
      assertEquals(CommunicatorException.Kind.PARAMETER_ERROR, e.kind(), e.getMessage());
    }
    assertEquals(Set.of(), loop.call(files::kernelWatchedPaths));
  }

  @Test
  void aClosedConnectionLeavesTheLoopAndRefusesWatches() {
    watchFiles(dir, CREATED);
    loop.run(files::close);
    assertFalse(files.isOpen());
    assertFalse(loop.call(() -> loop.communicator.connections().contains(files.connection())));
    CommunicatorException e =
        assertThrows(CommunicatorException.class, () -> watchFiles(dir, CREATED));
    assertEquals(CommunicatorException.Kind.CLOSED, e.kind());
  }
}
