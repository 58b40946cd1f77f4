package dev.herald.ring.exec;

import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.ExecFlowTag;
import dev.herald.ring.RingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns an EXEC event stream, fed in sequence-number order, into executed blocks and their commit
 * state changes (upstream's {@code CommitStateBlockBuilder} over {@code ExecutedBlockBuilder}). A
 * block is emitted only when it is complete; a block that cannot be completed (rejected, an EVM
 * error, a RECORD_ERROR, a gap, an expired or corrupt payload, missing or contradicting events) is
 * reported through {@link BlockSink#dropped} and never emitted. Not thread-safe: one assembler per
 * reading thread.
 *
 * <pre>{@code
 * BlockAssembler assembler = new BlockAssembler(sink);
 * EventReader reader = ring.reader();
 * EventDescriptor d = new EventDescriptor();
 * while (running) {
 *   switch (reader.poll(d)) {
 *     case EVENT -> assembler.accept(ring, d);
 *     case NOT_READY -> Thread.onSpinWait();
 *     case GAP -> {
 *       assembler.gap("reader lapped before seqno " + reader.nextSeqno());
 *       reader.reset();
 *     }
 *   }
 * }
 * }</pre>
 */
public final class BlockAssembler {
  /** An executed block and how far consensus took it. */
  private record Tracked(ExecutedBlock block, BlockCommitState state) {}

  private final BlockSink sink;
  private final ExecDecoder decoder = new ExecDecoder();
  private final ExecutedBlockBuilder builder;
  private final Map<Bytes, Tracked> blocks = new HashMap<>();
  private final TreeMap<Long, Set<Bytes>> proposals = new TreeMap<>(Long::compareUnsigned);

  /**
   * Creates an assembler that has seen nothing: events before the first BLOCK_START are skipped.
   *
   * @param sink where updates and drops go
   */
  public BlockAssembler(BlockSink sink) {
    this.sink = sink;
    this.builder = new ExecutedBlockBuilder(this::executed, sink::dropped);
  }

  /**
   * Feeds the next event read from a ring. Its payload is decoded and checked; an expired payload
   * drops the block in progress and the commit states (the events it summarized are gone), a
   * corrupt one drops the block in progress. Further expired payloads are reported only once
   * something is held again.
   *
   * @param ring the ring
   * @param d the event, the successor of the previous one fed
   */
  public void accept(EventRing ring, EventDescriptor d) {
    ExecPayload p;
    try {
      p = decoder.decode(ring, d);
    } catch (RingException e) {
      if (e.kind() != RingException.Kind.BAD_PAYLOAD) {
        throw e;
      }
      builder.abandon(BlockDrop.Reason.CORRUPT, e.getMessage());
      return;
    }
    if (p == null) {
      if (!builder.inBlock() && blocks.isEmpty()) {
        return; // nothing held, nothing lost: one report per loss, not one per expired event
      }
      lose(
          BlockDrop.Reason.PAYLOAD_EXPIRED,
          "the payload of event "
              + d.seqno()
              + " ("
              + ExecEventType.ofCode(d.eventType())
              + ") was overwritten before it was read");
      return;
    }
    accept(
        d.seqno(),
        d.contentExt(ExecFlowTag.BLOCK_SEQNO),
        d.contentExt(ExecFlowTag.TXN_ID),
        d.contentExt(ExecFlowTag.ACCOUNT_INDEX),
        p);
  }

  /**
   * Feeds an event already decoded, with its descriptor's sequence number and flow tags.
   *
   * @param seqno the event's sequence number
   * @param blockSeqno flow tag {@link ExecFlowTag#BLOCK_SEQNO}
   * @param txnId flow tag {@link ExecFlowTag#TXN_ID}
   * @param accountIndex flow tag {@link ExecFlowTag#ACCOUNT_INDEX}
   * @param payload the decoded payload
   */
  public void accept(
      long seqno, long blockSeqno, long txnId, long accountIndex, ExecPayload payload) {
    switch (payload) {
      case BlockQc q -> voted(q.blockTag());
      case BlockFinalized f -> finalized(f.blockTag());
      case BlockVerified v -> verified(v.blockNumber());
      case RecordFailure f ->
          lose(
              BlockDrop.Reason.RECORD_ERROR,
              "event "
                  + seqno
                  + " is a RECORD_ERROR ("
                  + f.error().errorType()
                  + ") for a lost "
                  + ExecEventType.ofCode(f.error().droppedEventType())
                  + " event");
      default -> builder.accept(seqno, blockSeqno, txnId, accountIndex, payload);
    }
  }

  /**
   * The reader missed events (it was lapped): the block in progress is dropped and reported, and
   * the commit states are forgotten, as upstream's reset does. Call it, then reset the reader.
   *
   * @param detail what was missed, for the report
   */
  public void gap(String detail) {
    lose(BlockDrop.Reason.GAP, detail);
  }

  /** Forgets everything without reporting (upstream {@code reset()}). */
  public void reset() {
    builder.reset();
    blocks.clear();
    proposals.clear();
  }

  /**
   * Whether a block is being assembled (between its BLOCK_START and BLOCK_END).
   *
   * @return true inside a block
   */
  public boolean inBlock() {
    return builder.inBlock();
  }

  private void lose(BlockDrop.Reason reason, String detail) {
    builder.abandon(reason, detail);
    blocks.clear();
    proposals.clear();
  }

  private void executed(ExecutedBlock block) {
    Bytes id = block.tag().id();
    if (blocks.containsKey(id)) {
      sink.dropped(
          new BlockDrop(
              block.tag(),
              block.startSeqno(),
              BlockDrop.Reason.INCONSISTENT,
              "a block with this id was already executed"));
      return;
    }
    blocks.put(id, new Tracked(block, BlockCommitState.PROPOSED));
    proposals.computeIfAbsent(block.tag().blockNumber(), n -> new LinkedHashSet<>()).add(id);
    sink.update(new BlockUpdate(block, BlockCommitState.PROPOSED, List.of()));
  }

  private void voted(BlockTag tag) {
    Tracked t = blocks.get(tag.id());
    if (t == null || t.state() != BlockCommitState.PROPOSED) {
      return; // unknown (executed before we joined), or already past voting
    }
    advance(t, BlockCommitState.VOTED, List.of());
  }

  private void finalized(BlockTag tag) {
    Tracked t = blocks.get(tag.id());
    if (t == null || t.state().compareTo(BlockCommitState.FINALIZED) >= 0) {
      return; // upstream panics on a second finalization; nothing changes, so nothing to say
    }
    List<ExecutedBlock> abandoned = new ArrayList<>();
    Set<Bytes> ids = proposals.get(t.block().tag().blockNumber());
    for (Bytes other : ids) {
      if (!other.equals(tag.id())) {
        abandoned.add(blocks.remove(other).block());
      }
    }
    ids.retainAll(Set.of(tag.id()));
    advance(t, BlockCommitState.FINALIZED, abandoned);
  }

  private void verified(long blockNumber) {
    Set<Bytes> ids = proposals.remove(blockNumber);
    if (ids == null) {
      return;
    }
    // Finalization leaves one proposal per number; should more remain, the finalized one counts.
    Tracked chosen = null;
    for (Bytes id : ids) {
      Tracked t = blocks.remove(id);
      if (chosen == null || t.state().compareTo(chosen.state()) > 0) {
        chosen = t;
      }
    }
    if (chosen != null) {
      sink.update(new BlockUpdate(chosen.block(), BlockCommitState.VERIFIED, List.of()));
    }
  }

  private void advance(Tracked t, BlockCommitState state, List<ExecutedBlock> abandoned) {
    blocks.put(t.block().tag().id(), new Tracked(t.block(), state));
    sink.update(new BlockUpdate(t.block(), state, abandoned));
  }
}
