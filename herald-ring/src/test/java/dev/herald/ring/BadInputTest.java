package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.RegularFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not good rings: a clear RingException every time, never a crash or a hang. */
class BadInputTest {
  @TempDir Path dir;

  /** A valid TEST ring file written by a writer that then went away, left in place. */
  private Path validRing() throws IOException {
    Path path = dir.resolve("ring");
    Path copy = dir.resolve("copy");
    try (RingWriter writer = TestRings.create(dir, "ring")) {
      TestRings.counter(writer, writer.newReservation(), 1, 1);
      Files.copy(path, copy);
    }
    return copy;
  }

  private static void patch(Path file, long offset, ByteBuffer bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(bytes, offset);
    }
  }

  private static ByteBuffer longLe(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
  }

  private static RingException.Kind failureOf(Path file, ContentType type) {
    return assertThrows(RingException.class, () -> EventRing.open(file, type).close()).kind();
  }

  @Test
  void wrongMagic() throws IOException {
    Path ring = validRing();
    patch(ring, 0, ByteBuffer.wrap("RING02".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    RingException e =
        assertThrows(RingException.class, () -> EventRing.open(ring, ContentType.TEST));
    assertEquals(RingException.Kind.BAD_MAGIC, e.kind());
    assertTrue(e.getMessage().contains(ring.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("RING01"), e.getMessage());
  }

  @Test
  void wrongContentTypeAndUnknownContentType() throws IOException {
    Path ring = validRing();
    assertEquals(RingException.Kind.CONTENT_TYPE, failureOf(ring, ContentType.EXEC));
    patch(ring, 6, ByteBuffer.wrap(new byte[] {9, 0}));
    RingException e =
        assertThrows(RingException.class, () -> EventRing.open(ring, ContentType.TEST));
    assertEquals(RingException.Kind.CONTENT_TYPE, e.kind());
    assertTrue(e.getMessage().contains("file contains 9"), e.getMessage());
    try (EventRing any = EventRing.openAny(ring)) {
      assertEquals(null, any.header().contentType(), "tools can still look at it");
      assertEquals(9, any.header().contentTypeCode());
    }
  }

  @Test
  void wrongSchemaHash() throws IOException {
    Path ring = validRing();
    patch(ring, 20, ByteBuffer.wrap(new byte[] {1}));
    RingException e =
        assertThrows(RingException.class, () -> EventRing.open(ring, ContentType.TEST));
    assertEquals(RingException.Kind.SCHEMA_HASH, e.kind());
    assertTrue(e.getMessage().contains("schema hash does not match"), e.getMessage());
  }

  @Test
  void sizesThatAreNotPowersOfTwoOrOutOfRange() throws IOException {
    Path ring = validRing();
    patch(ring, 40, longLe(65_537));
    assertEquals(RingException.Kind.BAD_SIZE, failureOf(ring, ContentType.TEST));
    patch(ring, 40, longLe(1 << 15));
    assertEquals(RingException.Kind.BAD_SIZE, failureOf(ring, ContentType.TEST));
    patch(ring, 40, longLe(1 << 16));
    patch(ring, 48, longLe(1L << 41));
    assertEquals(RingException.Kind.BAD_SIZE, failureOf(ring, ContentType.TEST));
    patch(ring, 48, longLe(-1L));
    assertEquals(RingException.Kind.BAD_SIZE, failureOf(ring, ContentType.TEST));
    patch(ring, 48, longLe(1L << 27));
    patch(ring, 56, longLe(4096));
    assertEquals(RingException.Kind.BAD_SIZE, failureOf(ring, ContentType.TEST));
    assertThrows(RingException.class, () -> RingSize.ofShifts(16, 26));
  }

  @Test
  void sizesBeyondTheFilesLength() throws IOException {
    Path ring = validRing();
    patch(ring, 48, longLe(1L << 30)); // valid, but the file holds only 128 MiB of payload
    RingException e =
        assertThrows(RingException.class, () -> EventRing.open(ring, ContentType.TEST));
    assertEquals(RingException.Kind.TRUNCATED, e.kind());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void truncatedFiles() throws IOException {
    Path ring = validRing();
    try (RandomAccessFile f = new RandomAccessFile(ring.toFile(), "rw")) {
      f.setLength(100 << 20);
      assertEquals(RingException.Kind.TRUNCATED, failureOf(ring, ContentType.TEST));
      f.setLength(100);
      assertEquals(RingException.Kind.TRUNCATED, failureOf(ring, ContentType.TEST));
      f.setLength(0);
      assertEquals(RingException.Kind.TRUNCATED, failureOf(ring, ContentType.TEST));
    }
    assertEquals(RingException.Kind.IO, failureOf(dir.resolve("missing"), ContentType.TEST));
  }

  @Test
  void aFileTruncatedWhileMappedFailsTheReadNotTheJvm() throws IOException {
    Path ring = validRing();
    try (EventRing mapped = EventRing.open(ring, ContentType.TEST)) {
      EventReader reader = mapped.reader();
      reader.setSeqno(1);
      EventDescriptor d = new EventDescriptor();
      assertEquals(PollResult.EVENT, reader.poll(d));
      try (RegularFile f = RegularFile.openReadWrite(ring)) {
        f.truncate(4096);
      }
      RingException e = assertThrows(RingException.class, mapped::checkNotTruncated);
      assertEquals(RingException.Kind.TRUNCATED, e.kind());
      assertTrue(e.getMessage().contains("truncated to 4096 bytes"), e.getMessage());
      // Reading the vanished pages faults; the JVM turns the fault into an exception (ours when it
      // is raised inside the read, its InternalError when it is delivered just after), never a
      // crash.
      Throwable t = assertThrows(Throwable.class, () -> drain(reader, d));
      assertTrue(t instanceof RingException || t instanceof InternalError, "unexpected " + t);
    }
  }

  private static void drain(EventReader reader, EventDescriptor d) {
    reader.setSeqno(1);
    for (int i = 0; i < 1000; i++) {
      reader.poll(d);
      reader.ring().copyPayload(d);
    }
  }

  @Test
  void snapshotsThatAreNotRings() throws IOException {
    Path text = dir.resolve("text");
    Files.writeString(text, "hello");
    assertFalse(RingSnapshots.isSnapshot(text));
    RingException e =
        assertThrows(RingException.class, () -> EventRing.openSnapshot(text, ContentType.TEST));
    assertEquals(RingException.Kind.NOT_A_SNAPSHOT, e.kind());
    // Valid zstd framing around junk, and a truncated zstd stream.
    Path junk = dir.resolve("junk.zst");
    try (var out = new io.airlift.compress.zstd.ZstdOutputStream(Files.newOutputStream(junk))) {
      out.write(new byte[300]);
    }
    assertFalse(RingSnapshots.isSnapshot(junk));
    assertEquals(
        RingException.Kind.BAD_MAGIC,
        assertThrows(RingException.class, () -> EventRing.openSnapshot(junk, null)).kind());
    Path cut = dir.resolve("cut.zst");
    byte[] whole = Files.readAllBytes(UpstreamData.emn1b());
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertEquals(
        RingException.Kind.NOT_A_SNAPSHOT,
        assertThrows(RingException.class, () -> EventRing.openSnapshot(cut, null)).kind());
  }
}
