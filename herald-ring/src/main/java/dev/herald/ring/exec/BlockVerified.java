package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The BLOCK_VERIFIED payload ({@code monad_exec_block_verified}): the finalized block with this
 * number was verified.
 *
 * <pre>{@code
 * BlockVerified.View view = new BlockVerified.View();
 * if (view.wrap(ring, d)) {
 *   BlockVerified kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param blockNumber the number of the verified block
 */
public record BlockVerified(long blockNumber) implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 8;

  @Override
  public ExecEventType type() {
    return ExecEventType.BLOCK_VERIFIED;
  }

  /** A reusable zero-copy view of a BLOCK_VERIFIED payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.BLOCK_VERIFIED, SIZE);
    }

    /**
     * Field block_number.
     *
     * @return the number of the verified block
     */
    public long blockNumber() {
      return u64(0);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public BlockVerified toRecord() {
      return new BlockVerified(blockNumber());
    }
  }
}
