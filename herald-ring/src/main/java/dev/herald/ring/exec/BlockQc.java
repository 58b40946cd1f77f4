package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The BLOCK_QC payload ({@code monad_exec_block_qc}): consensus saw a quorum certificate for a
 * block.
 *
 * <pre>{@code
 * BlockQc.View view = new BlockQc.View();
 * if (view.wrap(ring, d)) {
 *   BlockQc kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param blockTag the tag of the block voted for
 * @param round the round of the vote
 * @param epoch the epoch of the vote
 */
public record BlockQc(BlockTag blockTag, long round, long epoch) implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 56;

  @Override
  public ExecEventType type() {
    return ExecEventType.BLOCK_QC;
  }

  /** A reusable zero-copy view of a BLOCK_QC payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.BLOCK_QC, SIZE);
    }

    /**
     * Field block_tag.
     *
     * @return the tag of the block voted for
     */
    public BlockTag blockTag() {
      return tag(0);
    }

    /**
     * Field round.
     *
     * @return the round of the vote
     */
    public long round() {
      return u64(40);
    }

    /**
     * Field epoch.
     *
     * @return the epoch of the vote
     */
    public long epoch() {
      return u64(48);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public BlockQc toRecord() {
      return new BlockQc(blockTag(), round(), epoch());
    }
  }
}
