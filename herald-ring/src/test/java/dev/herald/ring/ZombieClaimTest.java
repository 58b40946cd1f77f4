package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.RegularFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claiming a ring's name: only a RING01 file nobody holds is a crashed writer's zombie and may be
 * removed; anything else at the path is refused and left as it is.
 */
class ZombieClaimTest {
  @TempDir Path dir;

  /** A RING01 file nobody locks, as a SIGKILLed writer leaves it. */
  private Path zombieAt(Path path) throws IOException {
    try (RingWriter writer = TestRings.create(dir, "source")) {
      TestRings.counter(writer, writer.newReservation(), 1, 1);
      Files.copy(writer.path(), path);
    }
    return path;
  }

  private static long inode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
  }

  @Test
  void aZombieRingNobodyLocksIsReclaimed() throws IOException {
    Path path = zombieAt(dir.resolve("ring"));
    long zombie = inode(path);
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(path, ContentType.TEST)) {
      assertEquals(path, writer.path());
      assertEquals(0, ring.lastSeqno(), "a new, empty ring replaced the zombie");
      assertFalse(zombie == ring.fileStatus().inode());
    }
  }

  @Test
  void aFileThatIsNotARingIsRefusedAndLeftUntouched() throws IOException {
    Path path = dir.resolve("notes.txt");
    Files.writeString(path, "my notes, not a ring\n");
    RingException e =
        assertThrows(
            RingException.class,
            () -> RingWriter.create(path, ContentType.TEST, TestRings.SMALLEST));
    assertEquals(RingException.Kind.BAD_MAGIC, e.kind());
    assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not an event ring"), e.getMessage());
    assertEquals("my notes, not a ring\n", Files.readString(path, StandardCharsets.UTF_8));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary <name>.<pid> is left behind");
    }
  }

  @Test
  void aFifoOrADirectoryAtThePathIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path directory = Files.createDirectory(dir.resolve("directory"));
    for (Path path : new Path[] {fifo, directory}) {
      RingException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20),
              () ->
                  assertThrows(
                      RingException.class,
                      () -> RingWriter.create(path, ContentType.TEST, TestRings.SMALLEST)));
      assertEquals(RingException.Kind.NOT_REGULAR_FILE, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
      assertTrue(Files.exists(path), path + " is left in place");
    }
  }

  @Test
  void aLiveRingThatReplacedTheZombieAfterItWasOpenedIsNotUnlinked() throws IOException {
    Path path = zombieAt(dir.resolve("ring"));
    try (RegularFile stale = RegularFile.openReadOnly(path)) {
      // Between our open and our lock, another writer reclaimed the zombie and published its ring.
      Files.move(path, dir.resolve("zombie-elsewhere"));
      try (RingWriter live = TestRings.create(dir, "ring")) {
        long liveInode = inode(path);
        assertFalse(
            RingWriter.reclaim(path, stale), "the path changed: look again, unlink nothing");
        assertTrue(Files.exists(path), "the live writer's ring keeps its name");
        assertEquals(liveInode, inode(path));
        RingException e =
            assertThrows(
                RingException.class,
                () -> RingWriter.create(path, ContentType.TEST, TestRings.SMALLEST));
        assertEquals(RingException.Kind.WRITER_PRESENT, e.kind());
        assertEquals(liveInode, inode(live.path()));
      }
    }
  }
}
