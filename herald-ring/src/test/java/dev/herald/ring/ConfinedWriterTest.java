package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-thread writer ({@link WriterThreads#CONFINED}) takes its sequence numbers and payload
 * space with plain stores instead of fetch-adds: the file it leaves must be byte for byte the one a
 * shared writer leaves, and only one thread may use it.
 */
class ConfinedWriterTest {
  private static final long STAMP = 1_700_000_000_000_000_000L;

  @TempDir Path dir;

  /** The same events, with the same timestamps, into a writer of the given mode. */
  private static void record(RingWriter writer, int events) {
    Reservation r = writer.newReservation();
    long tooBig = TestRings.SMALLEST.payloadBufSize() - 2 * (1L << 24);
    for (int i = 1; i <= events; i++) {
      long stamp = STAMP + i;
      if (i % 100_003 == 0) {
        // RECORD_ERROR replacements: OVERFLOW_EXPIRE, then OVERFLOW_4GB.
        writer.reserve(r, TestEventType.TEST_VLT.code(), tooBig, stamp).putLong(0, i).commit();
        writer.reserve(r, TestEventType.TEST_VLT.code(), 5L << 30, stamp).putLong(0, ~i).commit();
        continue;
      }
      if (i % 97 == 0) {
        writer.reserve(r, TestEventType.TEST_COUNTER.code(), 0, stamp).commit(); // a marker
        continue;
      }
      long size = 16 + (i * 37L) % 600;
      writer.reserve(r, TestEventType.TEST_VLT.code(), size, stamp);
      r.putLong(0, i).putLong(size - 8, ~i).putByte(9, (byte) i);
      if (i % 5 == 0) {
        r.contentExt(i % 4, i).contentExt(1, -i);
      }
      r.commit();
    }
  }

  private static MemorySegment mapFile(Path path, Arena arena) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
    }
  }

  @Test
  void aConfinedWriterLeavesTheSameBytesAsASharedOne() throws IOException {
    Path shared = dir.resolve("shared");
    Path confined = dir.resolve("confined");
    int events = 700_000; // about 215 MiB of payload: wraps the 128 MiB buffer, moves the window
    try (RingWriter a =
            RingWriter.create(shared, ContentType.TEST, TestRings.SMALLEST, WriterThreads.SHARED);
        RingWriter b =
            RingWriter.create(
                confined, ContentType.TEST, TestRings.SMALLEST, WriterThreads.CONFINED);
        Arena arena = Arena.ofConfined()) {
      assertEquals(WriterThreads.SHARED, a.threads());
      assertEquals(WriterThreads.CONFINED, b.threads());
      record(a, events);
      record(b, events);
      try (EventRing ring = EventRing.open(confined, ContentType.TEST)) {
        assertEquals(events + events / 100_003, ring.lastSeqno());
        assertTrue(ring.nextPayloadByte() > TestRings.SMALLEST.payloadBufSize());
        assertTrue(ring.bufferWindowStart() > 0, "the window moved");
      }
      MemorySegment x = mapFile(shared, arena);
      MemorySegment y = mapFile(confined, arena);
      assertEquals(x.byteSize(), y.byteSize());
      long at = x.mismatch(y);
      assertEquals(-1, at, "the files differ at byte " + at);
    }
  }

  @Test
  void theDefaultWriterIsShared() {
    try (RingWriter writer = TestRings.create(dir, "ring")) {
      assertEquals(WriterThreads.SHARED, writer.threads());
    }
  }

  @Test
  void onlyTheFirstThreadToReserveMayRecord() throws Exception {
    try (RingWriter writer =
            RingWriter.create(
                dir.resolve("ring"), ContentType.TEST, TestRings.SMALLEST, WriterThreads.CONFINED);
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      // Created here, but claimed by the thread that reserves first.
      CompletableFuture<Long> owner =
          CompletableFuture.supplyAsync(
              () -> TestRings.counter(writer, writer.newReservation(), 1, 1),
              r -> Thread.ofPlatform().start(r));
      assertEquals(1, owner.get());
      Reservation r = writer.newReservation();
      assertThrows(WrongThreadException.class, () -> TestRings.counter(writer, r, 2, 1));
      assertEquals(1, ring.lastSeqno(), "a refused reservation takes nothing");
      assertEquals(16, ring.nextPayloadByte());
      EventReader reader = ring.reader();
      reader.setSeqno(1);
      EventDescriptor d = new EventDescriptor();
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(new TestCounter(1, 1), TestCounter.read(ring.payload(d)));
      assertEquals(PollResult.NOT_READY, reader.poll(d));
    }
  }

  @Test
  void theOwnerKeepsRecordingAfterAnotherThreadWasRefused() throws Exception {
    try (RingWriter writer =
            RingWriter.create(
                dir.resolve("ring"), ContentType.TEST, TestRings.SMALLEST, WriterThreads.CONFINED);
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Reservation r = writer.newReservation();
      assertEquals(1, TestRings.counter(writer, r, 1, 1));
      CompletableFuture<Long> other =
          CompletableFuture.supplyAsync(
              () -> TestRings.counter(writer, writer.newReservation(), 2, 1),
              task -> Thread.ofPlatform().start(task));
      ExecutionException e = assertThrows(ExecutionException.class, other::get);
      assertTrue(e.getCause() instanceof WrongThreadException, e.getCause().toString());
      assertEquals(2, TestRings.counter(writer, r, 1, 2));
      assertEquals(2, ring.lastSeqno());
      assertEquals(32, ring.nextPayloadByte());
    }
  }
}
