package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The BLOCK_FINALIZED payload ({@code monad_exec_block_tag}): consensus finalized a block.
 *
 * <pre>{@code
 * BlockFinalized.View view = new BlockFinalized.View();
 * if (view.wrap(ring, d)) {
 *   BlockFinalized kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param blockTag the tag of the finalized block
 */
public record BlockFinalized(BlockTag blockTag) implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 40;

  @Override
  public ExecEventType type() {
    return ExecEventType.BLOCK_FINALIZED;
  }

  /** A reusable zero-copy view of a BLOCK_FINALIZED payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.BLOCK_FINALIZED, SIZE);
    }

    /**
     * Field block_tag.
     *
     * @return the tag of the finalized block
     */
    public BlockTag blockTag() {
      return tag(0);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public BlockFinalized toRecord() {
      return new BlockFinalized(blockTag());
    }
  }
}
