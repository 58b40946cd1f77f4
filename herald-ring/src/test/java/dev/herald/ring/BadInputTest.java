package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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
import java.time.Duration;
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

  // ---- Corrupt descriptors and control blocks: a typed CORRUPT error, never an endless loop ----

  private static final long DESCRIPTORS = 1L << 21;
  private static final long CAPACITY = TestRings.SMALLEST.descriptorCapacity();

  /** A copy of a TEST ring holding counters 1..10, its writer gone. */
  private Path tenEvents() throws IOException {
    Path copy = dir.resolve("ten");
    try (RingWriter writer = TestRings.create(dir, "ring")) {
      Reservation r = writer.newReservation();
      for (int i = 1; i <= 10; i++) {
        TestRings.counter(writer, r, 1, i);
      }
      Files.copy(writer.path(), copy);
    }
    return copy;
  }

  /** The file offset of a descriptor field of the event {@code seqno}. */
  private static long field(long seqno, long offset) {
    return DESCRIPTORS + ((seqno - 1) & (CAPACITY - 1)) * 64 + offset;
  }

  private static ByteBuffer intLe(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, v);
  }

  /** Compresses a ring file as a snapshot, byte for byte (corruption included). */
  private Path snapshotOf(Path ring) throws IOException {
    Path zst = dir.resolve(ring.getFileName() + ".zst");
    try (var out = new io.airlift.compress.zstd.ZstdOutputStream(Files.newOutputStream(zst))) {
      Files.copy(ring, out);
    }
    return zst;
  }

  /** Follows the ring from seqno 1 until it ends; the failure it ends with. */
  private static RingException followFromTheStart(EventRing ring) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            assertThrows(
                RingException.class,
                () -> {
                  EventReader reader = ring.reader();
                  reader.setSeqno(1);
                  new RingFollower(reader, (r, d) -> {}).drain(Integer.MAX_VALUE);
                }));
  }

  private static void assertCorrupt(RingException e, Path file, String detail) {
    assertEquals(RingException.Kind.CORRUPT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(detail), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void aDescriptorInAnotherSeqnosSlotIsCorruptionNotAnEndlessGap() throws IOException {
    Path ring = tenEvents();
    patch(ring, field(10, 0), longLe(15)); // seqno 15 belongs in slot 14, not slot 9
    try (EventRing live = EventRing.openAny(ring)) {
      assertCorrupt(followFromTheStart(live), ring, "slot 9");
    }
    try (EventRing snapshot = EventRing.openSnapshot(snapshotOf(ring), ContentType.TEST)) {
      assertCorrupt(followFromTheStart(snapshot), snapshotOf(ring), "slot 9");
    }
  }

  @Test
  void aSeqnoBeyondTheWritersLastIsCorruption() throws IOException {
    Path ring = tenEvents();
    patch(ring, field(10, 0), longLe(10 + CAPACITY)); // the right slot, but never allocated
    try (EventRing live = EventRing.openAny(ring)) {
      assertCorrupt(followFromTheStart(live), ring, "last_seqno");
    }
  }

  @Test
  void aPayloadLargerThanTheBufferIsCorruptionNotAnIndexError() throws IOException {
    Path ring = tenEvents();
    patch(ring, field(3, 12), intLe(0xFFFF_FFF0));
    try (EventRing live = EventRing.openAny(ring)) {
      EventReader reader = live.reader();
      reader.setSeqno(3);
      EventDescriptor d = new EventDescriptor();
      RingException e =
          assertThrows(
              RingException.class,
              () -> {
                reader.poll(d);
                live.payload(d);
              });
      assertCorrupt(e, ring, "4294967280");
    }
  }

  @Test
  void payloadOffsetsOutsideTheWrittenBufferAreCorruption() throws IOException {
    Path ring = tenEvents();
    patch(ring, field(3, 24), longLe(17)); // not 16-byte aligned
    patch(ring, field(5, 24), longLe(1 << 20)); // aligned, but beyond next_payload_byte (160)
    try (EventRing live = EventRing.openAny(ring)) {
      EventReader reader = live.reader();
      EventDescriptor d = new EventDescriptor();
      reader.setSeqno(3);
      assertCorrupt(assertThrows(RingException.class, () -> reader.poll(d)), ring, "offset 17");
      // A live reader's poll skips the next_payload_byte check (it would read the writers' busiest
      // cache line per event); random access and snapshots make it.
      reader.setSeqno(5);
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertCorrupt(assertThrows(RingException.class, () -> live.tryCopy(5, d)), ring, "1048576");
    }
    Path snapshotFile = snapshotOf(ring);
    try (EventRing snapshot = EventRing.openSnapshot(snapshotFile, ContentType.TEST)) {
      EventReader reader = snapshot.reader();
      EventDescriptor d = new EventDescriptor();
      reader.setSeqno(5);
      assertCorrupt(
          assertThrows(RingException.class, () -> reader.poll(d)), snapshotFile, "1048576");
    }
  }

  @Test
  void aLastSeqnoAheadOfEveryDescriptorIsCorruption() throws IOException {
    Path ring = tenEvents();
    patch(ring, 64, longLe(1_000_000));
    try (EventRing live = EventRing.openAny(ring)) {
      RingException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20), () -> assertThrows(RingException.class, live::reader));
      assertCorrupt(e, ring, "1000000");
    }
  }

  // ---- Paths that are not regular files: refused before anything blocks on them ----

  @Test
  void aFifoOrADirectoryIsNotOpenedAsARingOrSnapshot() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path directory = Files.createDirectory(dir.resolve("directory"));
    for (Path path : new Path[] {fifo, directory}) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            assertFalse(RingSnapshots.isSnapshot(path));
            for (var open :
                java.util.List.<org.junit.jupiter.api.function.Executable>of(
                    () -> EventRing.openAny(path).close(),
                    () -> EventRing.open(path, ContentType.TEST).close(),
                    () -> EventRing.openSnapshot(path, null).close())) {
              RingException e = assertThrows(RingException.class, open);
              assertEquals(RingException.Kind.NOT_REGULAR_FILE, e.kind(), e.getMessage());
              assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
            }
          });
    }
  }
}
