package dev.herald.ring.exec;

import java.util.List;

/**
 * A change of an executed block's commit state: {@link BlockCommitState#PROPOSED} when it has just
 * been executed, then voted, finalized and verified as consensus events arrive.
 *
 * <pre>{@code
 * BlockAssembler assembler = new BlockAssembler(new BlockSink() {
 *   public void update(BlockUpdate u) { System.out.println(u.state() + " " + u.block().tag()); }
 *   public void dropped(BlockDrop d) { System.err.println(d.describe()); }
 * });
 * }</pre>
 *
 * @param block the block
 * @param state its new state
 * @param abandoned when finalized, the competing proposals for the same number, now abandoned
 */
public record BlockUpdate(
    ExecutedBlock block, BlockCommitState state, List<ExecutedBlock> abandoned) {
  /** Copies the list. */
  public BlockUpdate {
    abandoned = List.copyOf(abandoned);
  }
}
