package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.PollResult;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingException;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.exec.SnapshotEvents.Ev;
import dev.herald.ring.exec.SnapshotEvents.Output;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads that the writer overwrites before or while a view reads them, and ring files truncated
 * under a view: a typed error or a drop, never a read outside the event or a wrong value.
 */
class ExecPayloadExpiryTest {
  /** One filler event: a call frame of exactly 1 MiB whose input is all 0xff. */
  private static final int FILLER = 1 << 20;

  /** Enough fillers to go once round the smallest (128 MiB) payload buffer and a little more. */
  private static final int FILLERS = (1 << RingSize.MIN_PAYLOAD_SHIFT) / FILLER + 1;

  @TempDir Path dir;

  private static void record(RingWriter writer, Reservation r, Ev e) {
    record(writer, r, e, 0);
  }

  /** Records a snapshot event whose BLOCK_START is {@code shift} seqnos later in this ring. */
  private static void record(RingWriter writer, Reservation r, Ev e, long shift) {
    writer.reserve(r, e.type(), e.payload().length);
    r.contentExt(0, e.ext()[0] == 0 ? 0 : e.ext()[0] + shift);
    r.contentExt(1, e.ext()[1]);
    r.contentExt(2, e.ext()[2]);
    r.putBytes(0, e.payload()).commit();
  }

  /**
   * Writes call frames outside any block (flow tags 0, which the assembler ignores) until every
   * payload byte written before has been overwritten with 0xff.
   */
  private static void overwriteEverything(RingWriter writer, Reservation r) {
    byte[] frame = new byte[FILLER];
    Arrays.fill(frame, TxnCallFrame.SIZE, FILLER, (byte) 0xff);
    java.nio.ByteBuffer.wrap(frame)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(112, FILLER - TxnCallFrame.SIZE); // input_length; return_length stays 0
    for (int i = 0; i < FILLERS; i++) {
      writer.reserve(r, ExecEventType.TXN_CALL_FRAME.code(), FILLER).putBytes(0, frame).commit();
    }
  }

  private static Ev logOfTxn1() {
    Ev log = SnapshotEvents.all().get(248);
    assertEquals(249, log.seqno());
    assertEquals(ExecEventType.TXN_LOG.code(), log.type());
    return log;
  }

  @Test
  void aLengthOverwrittenWhileReadIsExpiryNotAReadElsewhere() {
    Path path = dir.resolve("exec-overwritten");
    try (RingWriter writer = RingWriter.create(path, ContentType.EXEC, RingSize.ofShifts(16, 27));
        EventRing ring = EventRing.open(path, ContentType.EXEC)) {
      Reservation r = writer.newReservation();
      record(writer, r, logOfTxn1());
      EventDescriptor d = new EventDescriptor();
      assertTrue(ring.tryCopy(1, d));
      TxnLog.View view = new TxnLog.View();
      assertTrue(view.wrap(ring, d));
      assertEquals(1, view.topicCount());
      assertTrue(view.valid());

      overwriteEverything(writer, r);
      // The view still points at the old bytes, which now say topic_count 255 and data_length
      // 2^32 - 1: no read may follow them out of the event's 96 bytes.
      assertEquals(255, view.topicCount());
      for (Runnable read :
          List.<Runnable>of(view::data, view::topics, view::toRecord, () -> view.topic(200))) {
        RingException e = assertThrows(RingException.class, read::run);
        assertEquals(RingException.Kind.PAYLOAD_EXPIRED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("event 1 (TXN_LOG) in " + path), e.getMessage());
      }
      assertFalse(view.valid());
      assertFalse(view.wrap(ring, d), "re-wrapping sees the lengths disagree, and the expiry");
      assertNull(new ExecDecoder().decode(ring, d));
    }
  }

  @Test
  void anExpiredPayloadDropsTheBlockInProgressOnce() {
    List<Ev> all = SnapshotEvents.all();
    Output out = new Output();
    BlockAssembler assembler = new BlockAssembler(out);
    Path path = dir.resolve("exec-expired");
    try (RingWriter writer = RingWriter.create(path, ContentType.EXEC, RingSize.ofShifts(18, 27));
        EventRing ring = EventRing.open(path, ContentType.EXEC)) {
      Reservation r = writer.newReservation();
      for (Ev e : all.subList(0, 3_000)) {
        record(writer, r, e);
      }
      EventReader reader = ring.reader();
      reader.setSeqno(1);
      EventDescriptor d = new EventDescriptor();
      for (int i = 0; i < 1_000; i++) {
        assertEquals(PollResult.EVENT, reader.poll(d));
        assembler.accept(ring, d);
      }
      assertTrue(assembler.inBlock());
      // The descriptors of events 1001..3000 stay, their payloads are overwritten.
      overwriteEverything(writer, r);
      for (Ev e : all.subList(3_000, all.size())) {
        record(writer, r, e, FILLERS);
      }
      while (reader.poll(d) == PollResult.EVENT) {
        assembler.accept(ring, d);
      }
    }
    assertEquals(1, out.drops().size(), "one report, not one per expired event: " + out.drops());
    BlockDrop drop = out.drops().getFirst();
    assertEquals(BlockDrop.Reason.PAYLOAD_EXPIRED, drop.reason());
    assertEquals(15_000_001L, drop.block().blockNumber());
    assertTrue(drop.detail().contains("event 1001"), drop.detail());
    // Every later block is assembled as from the snapshot (its seqnos shifted by the fillers);
    // block 1's consensus events find nothing.
    List<String> expected =
        SnapshotEvents.assemble(all).updates().stream()
            .filter(u -> u.block().tag().blockNumber() > 15_000_001L)
            .map(ExecPayloadExpiryTest::json)
            .toList();
    List<String> actual = out.updates().stream().map(ExecPayloadExpiryTest::json).toList();
    assertEquals(119 - 4, actual.size());
    assertTrue(expected.equals(actual), "the later blocks differ from the snapshot's");
  }

  private static String json(BlockUpdate u) {
    return JsonText.compact(ExecJson.update(u));
  }

  @Test
  void aRingTruncatedUnderTheDecoderFailsWithATypedError() throws IOException {
    Path path = dir.resolve("exec-truncated");
    List<Ev> block = SnapshotEvents.all().subList(0, 300);
    Output out = new Output();
    BlockAssembler assembler = new BlockAssembler(out);
    try (RingWriter writer = RingWriter.create(path, ContentType.EXEC, RingSize.ofShifts(16, 27));
        EventRing ring = EventRing.open(path, ContentType.EXEC)) {
      Reservation r = writer.newReservation();
      for (Ev e : block) {
        record(writer, r, e);
      }
      EventReader reader = ring.reader();
      reader.setSeqno(1);
      EventDescriptor start = new EventDescriptor();
      assertEquals(PollResult.EVENT, reader.poll(start));
      assembler.accept(ring, start);
      EventDescriptor d = new EventDescriptor();
      for (int i = 0; i < 100; i++) {
        assertEquals(PollResult.EVENT, reader.poll(d));
        assembler.accept(ring, d);
      }
      try (FileChannel f = FileChannel.open(path, StandardOpenOption.WRITE)) {
        f.truncate(4096); // keeps the header, drops the descriptors and payloads
      }
      // start still holds event 1 (BLOCK_START), read before the truncation; its payload is gone.
      RingException e =
          assertThrows(RingException.class, () -> new ExecDecoder().decode(ring, start));
      assertEquals(RingException.Kind.TRUNCATED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
      RingException fed = assertThrows(RingException.class, () -> assembler.accept(ring, start));
      assertEquals(RingException.Kind.TRUNCATED, fed.kind(), fed.getMessage());
    }
    assertEquals(List.of(), out.updates());
  }
}
