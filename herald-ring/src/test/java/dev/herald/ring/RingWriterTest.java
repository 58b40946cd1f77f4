package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingWriterTest {
  @TempDir Path dir;

  @Test
  void createPublishesAnInitialisedLockedFileAndCloseRemovesIt() throws IOException {
    Path path = dir.resolve("event-recorder-test");
    try (RingWriter writer = RingWriter.create(path, ContentType.TEST, TestRings.SMALLEST)) {
      assertEquals(140_509_184L, Files.size(path));
      try (var files = Files.list(dir)) {
        assertEquals(List.of(path), files.toList(), "the temporary <name>.<pid> was renamed");
      }
      ByteBuffer h =
          ByteBuffer.wrap(Files.readAllBytes(path), 0, 192).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[6];
      h.get(magic);
      assertArrayEquals("RING01".getBytes(java.nio.charset.StandardCharsets.US_ASCII), magic);
      assertEquals(1, h.getShort(6));
      for (int i = 8; i < 40; i++) {
        assertEquals(0, h.get(i), "the TEST schema hash is all zeros");
      }
      assertEquals(65_536, h.getLong(40));
      assertEquals(1L << 27, h.getLong(48));
      assertEquals(0, h.getLong(56));
      assertEquals(0, h.getLong(64), "a fresh control block is zero");
      assertEquals(0, writer.lastSeqno());
      try (EventRing ring = EventRing.open(path, ContentType.TEST)) {
        assertEquals(
            OptionalLong.of(ProcessHandle.current().pid()),
            ring.writerPid(),
            "the writer's flock is visible in /proc/locks");
        assertEquals(WriterState.ALIVE, RingLiveness.state(ring));
      }
    }
    assertFalse(Files.exists(path), "close unlinks the ring");
  }

  @Test
  void aSecondWriterIsRefusedWhileTheFirstLives() {
    Path path = dir.resolve("ring");
    try (RingWriter first = TestRings.create(dir, "ring")) {
      RingException e =
          assertThrows(
              RingException.class,
              () -> RingWriter.create(path, ContentType.TEST, TestRings.SMALLEST));
      assertEquals(RingException.Kind.WRITER_PRESENT, e.kind());
      assertTrue(
          e.getMessage().contains("writer process " + ProcessHandle.current().pid()),
          e.getMessage());
      assertTrue(Files.exists(first.path()), "the live writer's file is untouched");
    }
  }

  @Test
  void eventsRoundTripWithTypesSizesOffsetsAndFlowTags() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      EventReader reader = ring.reader();
      EventDescriptor d = new EventDescriptor();
      assertEquals(PollResult.NOT_READY, reader.poll(d), "nothing written yet");
      Reservation r = writer.newReservation();
      long before = System.currentTimeMillis() * 1_000_000L;
      assertEquals(1, TestRings.counter(writer, r, 7, 100));
      writer.reserve(r, TestEventType.TEST_VLT.code(), 13).putInt(0, 5).putInt(4, 4);
      r.putBytes(8, new byte[] {1, 2, 3, 4, 5}).contentExt(0, 11).contentExt(3, 44).commit();
      writer.reserve(r, TestEventType.TEST_VLT.code(), 0).commit();
      TestRings.counter(writer, r, 7, 101);

      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(1, d.seqno());
      assertEquals(TestEventType.TEST_COUNTER, ContentType.TEST.kind(d.eventType()));
      assertEquals(16, d.payloadSize());
      assertEquals(0, d.payloadBufOffset());
      assertTrue(d.recordEpochNanos() >= before - 1_000_000_000L, "a CLOCK_REALTIME stamp");
      assertEquals(new TestCounter(7, 100), TestCounter.read(ring.payload(d)));
      assertTrue(ring.payloadValid(d));

      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(13, d.payloadSize());
      assertEquals(16, d.payloadBufOffset());
      assertEquals(11, d.contentExt(0));
      assertEquals(0, d.contentExt(1));
      assertEquals(44, d.contentExt(3));
      assertArrayEquals(new byte[] {5, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4, 5}, ring.copyPayload(d));

      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(0, d.payloadSize());
      assertEquals(32, d.payloadBufOffset(), "a 13-byte payload takes 16 bytes");
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(32, d.payloadBufOffset(), "a 0-byte payload takes no space");
      assertEquals(PollResult.NOT_READY, reader.poll(d));
      assertEquals(4, ring.lastSeqno());
      assertEquals(48, ring.nextPayloadByte());
    }
  }

  @Test
  void anUncommittedEventHoldsBackReadersAndResetSkipsIt() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Reservation r = writer.newReservation();
      TestRings.counter(writer, r, 1, 1);
      Reservation pending = writer.newReservation();
      writer.reserve(pending, TestEventType.TEST_COUNTER.code(), 16); // seqno 2, not committed
      TestRings.counter(writer, r, 1, 3);
      EventReader reader = ring.reader();
      EventDescriptor d = new EventDescriptor();
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(3, d.seqno(), "reset lands on the newest committed event");
      reader.setSeqno(1);
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(PollResult.NOT_READY, reader.poll(d), "seqno 2 is reserved but unpublished");
      pending.putLong(8, 2).commit();
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(2, d.seqno());
    }
  }

  @Test
  void aLappedReaderGetsGapThenRecoversByReset() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      EventReader reader = ring.reader();
      EventDescriptor d = new EventDescriptor();
      Reservation r = writer.newReservation();
      long capacity = TestRings.SMALLEST.descriptorCapacity();
      for (long i = 1; i <= capacity + 10; i++) {
        TestRings.counter(writer, r, 0, i);
      }
      assertEquals(PollResult.GAP, reader.poll(d), "seqno 1's slot now holds a newer event");
      assertEquals(0, reader.readLastSeqno(), "GAP does not move the reader");
      assertFalse(ring.tryCopy(1, d), "seqno 1 is gone");
      assertTrue(ring.tryCopy(11, d), "the oldest event still held");
      reader.reset();
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(capacity + 10, d.seqno());
      assertEquals(capacity + 10, TestCounter.read(ring.payload(d)).counter());
      TestRings.counter(writer, r, 0, capacity + 11);
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(capacity + 11, d.seqno());
    }
  }

  @Test
  void tooLargePayloadsBecomeRecordErrorEventsKeepingTheirFirstBytes() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      EventReader reader = ring.reader();
      Reservation r = writer.newReservation();
      long tooBig = (1L << 27) - 2 * (1L << 24);
      writer.reserve(r, TestEventType.TEST_VLT.code(), tooBig);
      assertTrue(r.isTruncated());
      assertEquals(8192 - 16, r.capacity());
      byte[] big = new byte[10_000];
      java.util.Arrays.fill(big, (byte) 0x5a);
      r.putInt(0, 0x01020304).putBytes(4, big).putLong(1L << 26, 1).commit();
      writer.reserve(r, TestEventType.TEST_VLT.code(), 5L << 30).commit();
      writer.reserve(r, TestEventType.TEST_VLT.code(), tooBig - 16).putByte(tooBig - 17, (byte) 1);
      assertFalse(r.isTruncated(), "just under the limit is recorded as asked");
      r.commit();

      EventDescriptor d = new EventDescriptor();
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(RecordError.EVENT_TYPE, d.eventType());
      assertEquals(TestEventType.RECORD_ERROR, ContentType.TEST.kind(d.eventType()));
      assertEquals(8192, d.payloadSize());
      MemorySegment p = ring.payload(d);
      assertEquals(
          new RecordError(
              RecordError.ErrorType.OVERFLOW_EXPIRE, TestEventType.TEST_VLT.code(), 8176, tooBig),
          RecordError.read(p));
      assertEquals(0x01020304, p.get(ValueLayout.JAVA_INT_UNALIGNED, 16));
      assertEquals(0x5a, p.get(ValueLayout.JAVA_BYTE, 20));
      assertEquals(0x5a, p.get(ValueLayout.JAVA_BYTE, 8191), "bytes kept up to the 8 KiB end");

      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(
          RecordError.ErrorType.OVERFLOW_4GB, RecordError.read(ring.payload(d)).errorType());
      assertEquals(5L << 30, RecordError.read(ring.payload(d)).requestedPayloadSize());
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(tooBig - 16, d.payloadSize());
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> writer.reserve(r, 3, 8).putLong(1, 0),
          "writing past a normal reservation is a bug, not a truncation");
    }
  }

  @Test
  void wrapAroundAndWindowSlidingOverMillionsOfEvents() throws Exception {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      long s = TestRings.SMALLEST.payloadBufSize();
      int events = 2_000_000;
      FutureTask<Long> follower =
          new FutureTask<>(
              () -> {
                EventReader reader = ring.reader();
                EventDescriptor d = new EventDescriptor();
                long verified = 0;
                while (reader.readLastSeqno() < events) {
                  switch (reader.poll(d)) {
                    case EVENT -> {
                      MemorySegment p = ring.payload(d);
                      long first = p.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                      long last = p.get(ValueLayout.JAVA_LONG_UNALIGNED, d.payloadSize() - 8);
                      // Zero-copy bytes count only if the window still covers them after use.
                      if (ring.payloadValid(d)) {
                        assertEquals(d.seqno(), first);
                        assertEquals(~d.seqno(), last);
                        verified++;
                      }
                    }
                    case NOT_READY -> Thread.onSpinWait();
                    case GAP -> reader.reset();
                  }
                }
                return verified;
              });
      Thread.ofPlatform().start(follower);
      Reservation r = writer.newReservation();
      long wrapped = 0;
      long next = 0;
      for (long i = 1; i <= events; i++) {
        long size = 16 + (i * 37) % 600;
        writer.reserve(r, TestEventType.TEST_VLT.code(), size);
        r.putLong(0, i).putLong(size - 8, ~i).commit();
        if ((next & (s - 1)) + size > s) {
          wrapped++;
        }
        next += (size + 15) & -16L;
      }
      assertTrue(follower.get() > 0, "the follower verified events while they were written");
      assertTrue(ring.nextPayloadByte() > 4 * s, "the payload buffer wrapped several times");
      assertTrue(wrapped > 0, "some payloads straddled the buffer's physical end");
      long window = ring.bufferWindowStart();
      assertEquals(0, window % (1 << 24), "the window moves in 16 MiB steps");
      assertTrue(window >= ring.nextPayloadByte() - s + (1 << 24), "window invariant");
      assertTrue(window <= ring.nextPayloadByte() - s + 2 * (1 << 24), "window is not too eager");

      // Every event the ring still holds reads back intact, wrapped ones included.
      EventDescriptor d = new EventDescriptor();
      long oldest = events - TestRings.SMALLEST.descriptorCapacity() + 1;
      long valid = 0;
      long expired = 0;
      for (long seqno = oldest; seqno <= events; seqno++) {
        assertTrue(ring.tryCopy(seqno, d));
        byte[] bytes = ring.copyPayload(d);
        if (bytes == null) {
          expired++;
          assertTrue(Long.compareUnsigned(d.payloadBufOffset(), window) < 0);
          continue;
        }
        valid++;
        MemorySegment p = MemorySegment.ofArray(bytes);
        assertEquals(seqno, p.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        assertEquals(~seqno, p.get(ValueLayout.JAVA_LONG_UNALIGNED, bytes.length - 8));
      }
      assertEquals(TestRings.SMALLEST.descriptorCapacity(), valid + expired);
      assertEquals(0, expired, "65,536 events of ~330 bytes fit in the 112 MiB window");
    }
  }

  @Test
  void payloadsOverwrittenByTheWriterReadAsExpired() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      Reservation r = writer.newReservation();
      for (long i = 1; i <= 40_000; i++) {
        writer.reserve(r, TestEventType.TEST_VLT.code(), 4096).putLong(0, i).commit();
      }
      EventDescriptor d = new EventDescriptor();
      assertTrue(ring.tryCopy(1, d), "the descriptor is still there");
      assertFalse(ring.payloadValid(d), "but 160 MB later its payload bytes are not");
      assertNull(ring.copyPayload(d));
      assertTrue(ring.tryCopy(40_000, d));
      assertEquals(40_000, ring.payload(d).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
      assertTrue(ring.payloadValid(d));
      long firstValid = ring.bufferWindowStart() / 4096 + 1;
      assertTrue(ring.tryCopy(firstValid, d));
      assertTrue(ring.payloadValid(d));
      assertTrue(ring.tryCopy(firstValid - 1, d));
      assertFalse(ring.payloadValid(d), "the window start is the exact boundary");
    }
  }

  @Test
  void testVltPayloadsRoundTripAndBadLengthsAreRejected() {
    try (RingWriter writer = TestRings.create(dir, "ring");
        EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
      EventReader reader = ring.reader();
      Reservation r = writer.newReservation();
      byte[] a = {1, 2, 3};
      byte[] b = {4, 5, 6, 7, 8};
      writer.reserve(r, TestEventType.TEST_VLT.code(), TestVlt.sizeOf(a, b));
      TestVlt.write(r, a, b).commit();
      writer.reserve(r, TestEventType.TEST_VLT.code(), 8).putInt(0, 100).commit();
      EventDescriptor d = new EventDescriptor();
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertEquals(16, d.payloadSize());
      assertEquals(new TestVlt(a, b), TestVlt.read(ring.payload(d)));
      assertEquals(PollResult.EVENT, reader.poll(d));
      assertThrows(IllegalArgumentException.class, () -> TestVlt.read(ring.payload(d)));
    }
  }
}
