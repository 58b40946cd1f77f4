package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.PollResult;
import dev.herald.ring.RecordError;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.exec.SnapshotEvents.Ev;
import dev.herald.ring.exec.SnapshotEvents.Output;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block assembly over the real snapshot, and every way a block is dropped instead of emitted. */
class BlockAssemblerTest {
  @TempDir Path dir;

  private static final long[] TXNS_PER_BLOCK = {
    229, 138, 185, 179, 259, 223, 251, 414, 606, 63, 421, 272, 70, 144, 347, 361, 36, 236, 170, 57,
    232, 85, 23, 260, 0, 64, 317, 252, 123, 170
  };

  @Test
  void theSnapshotYieldsThirtyBlocksAndTheirCommitStates() {
    Output out = SnapshotEvents.assemble(SnapshotEvents.all());
    assertEquals(List.of(), out.drops());
    assertEquals(119, out.updates().size());
    Map<BlockCommitState, Integer> states = new EnumMap<>(BlockCommitState.class);
    int txns = 0;
    int logs = 0;
    int failed = 0;
    int[] types = new int[5];
    int block = 0;
    for (int i = 0; i < out.updates().size(); i++) {
      BlockUpdate u = out.updates().get(i);
      states.merge(u.state(), 1, Integer::sum);
      // Executed, Voted, Finalized, Verified for each block in turn.
      assertEquals(BlockCommitState.values()[i % 4], u.state(), "update " + i);
      assertEquals(15_000_001L + i / 4, u.block().tag().blockNumber());
      assertEquals(List.of(), u.abandoned());
      if (u.state() != BlockCommitState.PROPOSED) {
        continue;
      }
      ExecutedBlock b = u.block();
      assertEquals(TXNS_PER_BLOCK[block++], b.transactions().size());
      assertEquals(List.of(), b.prologue());
      assertEquals(1, b.epilogue().size(), "the beneficiary's reward");
      assertEquals(b.start().beneficiary(), b.epilogue().getFirst().account().address());
      for (ExecutedTxn t : b.transactions()) {
        txns++;
        logs += t.logs().size();
        failed += t.output().status() ? 0 : 1;
        types[t.header().txnType()]++;
        TxnCallFrame top = t.callFrames().getFirst();
        assertEquals(t.header().sender(), top.caller(), "frame 0 is the sender's call");
        assertEquals(t.header().value(), top.value());
        assertEquals(t.header().data(), top.input());
        if (!t.header().isContractCreation()) {
          assertEquals(t.header().to(), top.callTarget());
        }
        AccessedAccount sender =
            t.accesses().stream()
                .filter(a -> a.account().address().equals(t.header().sender()))
                .findFirst()
                .orElseThrow();
        assertEquals(t.header().nonce(), sender.account().prestateNonce());
        assertEquals(t.header().nonce() + 1, sender.account().modifiedNonce());
      }
    }
    assertEquals(30, states.get(BlockCommitState.PROPOSED));
    assertEquals(29, states.get(BlockCommitState.VERIFIED));
    assertEquals(6_187, txns);
    assertEquals(8_299, logs);
    assertEquals(172, failed);
    assertEquals(534, types[0]);
    assertEquals(10, types[1]);
    assertEquals(5_643, types[2]);
  }

  /** The events of the first block (seqno 1 to 6595, BLOCK_END) and its consensus events. */
  private static List<Ev> firstBlock() {
    return new ArrayList<>(SnapshotEvents.all().subList(0, 6_598));
  }

  private static Ev synthetic(Ev like, ExecPayload p) {
    return new Ev(like.seqno(), p.type().code(), like.ext(), new byte[0], p);
  }

  private static void assertDroppedOnly(Output out, BlockDrop.Reason reason) {
    assertEquals(List.of(), out.updates(), "a dropped block is never emitted, nor voted on");
    assertEquals(1, out.drops().size(), out.drops().toString());
    BlockDrop d = out.drops().getFirst();
    assertEquals(reason, d.reason());
    assertEquals(15_000_001L, d.block().blockNumber());
    assertEquals(1, d.startSeqno());
    assertTrue(d.describe().startsWith("block 15000001 (id 0x"), d.describe());
  }

  @Test
  void aMissingLogDropsTheBlockAtItsEnd() {
    List<Ev> events = firstBlock();
    events.removeIf(e -> e.seqno() == 249); // txn 1's only log
    Output out = SnapshotEvents.assemble(events);
    assertDroppedOnly(out, BlockDrop.Reason.INCOMPLETE);
    assertTrue(out.drops().getFirst().detail().contains("txn 1 missing log 0"));
  }

  @Test
  void aMissingTransactionDropsTheBlock() {
    List<Ev> events = firstBlock();
    events.removeIf(e -> e.ext()[1] == 5 && e.decoded() instanceof TxnHeaderStart);
    events.removeIf(e -> e.ext()[1] == 5 && !(e.decoded() instanceof Marker));
    assertDroppedOnly(SnapshotEvents.assemble(events), BlockDrop.Reason.INCOMPLETE);
  }

  @Test
  void rejectsAndEvmErrorsDropTheWholeBlock() {
    Ev at = firstBlock().get(300);
    List<Ev> txnReject = firstBlock();
    txnReject.add(300, synthetic(at, new Reject(ExecEventType.TXN_REJECT, 3)));
    Output out = SnapshotEvents.assemble(txnReject);
    assertDroppedOnly(out, BlockDrop.Reason.TXN_REJECTED);
    assertTrue(out.drops().getFirst().detail().contains("BadNonce"));

    List<Ev> blockReject = firstBlock();
    blockReject.add(300, synthetic(at, new Reject(ExecEventType.BLOCK_REJECT, 14)));
    assertDroppedOnly(SnapshotEvents.assemble(blockReject), BlockDrop.Reason.BLOCK_REJECTED);

    List<Ev> evmError = firstBlock();
    evmError.add(300, synthetic(at, new EvmError(7, -2)));
    assertDroppedOnly(SnapshotEvents.assemble(evmError), BlockDrop.Reason.EVM_ERROR);

    List<Ev> recordError = firstBlock();
    recordError.add(
        300,
        synthetic(
            at,
            new RecordFailure(
                new RecordError(RecordError.ErrorType.MISSING_EVENT, 18, 0, 96), Bytes.EMPTY)));
    assertDroppedOnly(SnapshotEvents.assemble(recordError), BlockDrop.Reason.RECORD_ERROR);
  }

  @Test
  void aSecondBlockStartDropsBothBlocksAsUpstreamDoes() {
    List<Ev> all = SnapshotEvents.all();
    List<Ev> events = new ArrayList<>(all.subList(0, 6_000)); // block 1 without its end
    events.addAll(all.subList(6_598, all.size())); // block 2 onward
    Output out = SnapshotEvents.assemble(events);
    assertEquals(BlockDrop.Reason.UNTERMINATED, out.drops().get(0).reason());
    assertEquals(15_000_001L, out.drops().get(0).block().blockNumber());
    assertEquals(BlockDrop.Reason.SKIPPED, out.drops().get(1).reason());
    assertEquals(15_000_002L, out.drops().get(1).block().blockNumber());
    assertEquals(2, out.drops().size());
    // Block 2 is skipped, its consensus events find nothing; block 3 onward is complete.
    assertEquals(15_000_003L, out.updates().getFirst().block().tag().blockNumber());
    assertEquals(119 - 8, out.updates().size());
  }

  @Test
  void eventsBeforeTheFirstBlockStartAreSkippedSilently() {
    List<Ev> all = SnapshotEvents.all();
    Output out = SnapshotEvents.assemble(all.subList(3_000, all.size()));
    assertEquals(List.of(), out.drops());
    assertEquals(119 - 4, out.updates().size());
  }

  /** Copies snapshot events into a writer, seqno for seqno, with their flow tags. */
  private static void record(RingWriter writer, Reservation r, List<Ev> events) {
    for (Ev e : events) {
      writer.reserve(r, e.type(), e.payload().length);
      for (int i = 0; i < 3; i++) {
        r.contentExt(i, e.ext()[i]);
      }
      r.putBytes(0, e.payload()).commit();
    }
  }

  @Test
  void aLappedReadersPartialBlockIsReportedNotEmitted() {
    List<Ev> all = SnapshotEvents.all();
    Output out = new Output();
    BlockAssembler assembler = new BlockAssembler(out);
    Path path = dir.resolve("exec-lapped");
    try (RingWriter writer = RingWriter.create(path, ContentType.EXEC, RingSize.ofShifts(16, 27));
        EventRing ring = EventRing.open(path, ContentType.EXEC)) {
      Reservation r = writer.newReservation();
      record(writer, r, all.subList(0, 3_000));
      EventReader reader = ring.reader();
      reader.setSeqno(1);
      EventDescriptor d = new EventDescriptor();
      while (reader.poll(d) == PollResult.EVENT) {
        assembler.accept(ring, d);
      }
      assertTrue(assembler.inBlock());
      // The writer records everything else: 65,536 descriptors are lapped by the reader.
      record(writer, r, all.subList(3_000, all.size()));
      assertEquals(PollResult.GAP, reader.poll(d));
      assembler.gap("reader lapped before seqno " + reader.nextSeqno());
      assertEquals(1, out.drops().size());
      BlockDrop drop = out.drops().getFirst();
      assertEquals(BlockDrop.Reason.GAP, drop.reason());
      assertEquals(15_000_001L, drop.block().blockNumber());
      // Resume at the oldest event still held: mid-block, skipped until the next BLOCK_START.
      assertTrue(reader.seekOldest());
      long resumed = reader.nextSeqno();
      PollResult p;
      while ((p = reader.poll(d)) == PollResult.EVENT) {
        assembler.accept(ring, d);
      }
      assertEquals(PollResult.NOT_READY, p);
      // Exactly the blocks that start after the resume point, identical to a clean run.
      List<BlockUpdate> clean = SnapshotEvents.assemble(all).updates();
      List<BlockUpdate> expected =
          clean.stream().filter(u -> u.block().startSeqno() > resumed).toList();
      assertTrue(expected.size() > 40, "most of the later blocks are still in the ring");
      assertEquals(expected, out.updates());
    }
  }

  @Test
  void aCorruptPayloadDropsTheBlockWithATypedReason() {
    List<Ev> events = firstBlock();
    Output out = new Output();
    BlockAssembler assembler = new BlockAssembler(out);
    Path path = dir.resolve("exec-corrupt");
    try (RingWriter writer = RingWriter.create(path, ContentType.EXEC, RingSize.ofShifts(16, 27));
        EventRing ring = EventRing.open(path, ContentType.EXEC)) {
      Reservation r = writer.newReservation();
      for (Ev e : events) {
        byte[] payload = e.payload();
        if (e.seqno() == 249) { // txn 1's log: topic_count 1 -> 2, the size no longer agrees
          payload = payload.clone();
          payload[24] = 2;
        }
        writer.reserve(r, e.type(), payload.length);
        for (int i = 0; i < 3; i++) {
          r.contentExt(i, e.ext()[i]);
        }
        r.putBytes(0, payload).commit();
      }
      EventReader reader = ring.reader();
      reader.setSeqno(1);
      EventDescriptor d = new EventDescriptor();
      while (reader.poll(d) == PollResult.EVENT) {
        assembler.accept(ring, d);
      }
    }
    assertDroppedOnly(out, BlockDrop.Reason.CORRUPT);
    assertTrue(out.drops().getFirst().detail().contains("event 249 (TXN_LOG)"));
  }
}
