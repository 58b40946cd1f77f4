package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The BLOCK_END payload ({@code monad_exec_block_end}): the executed block's hash and results.
 *
 * <pre>{@code
 * BlockEnd.View view = new BlockEnd.View();
 * if (view.wrap(ring, d)) {
 *   BlockEnd kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param ethBlockHash the Ethereum block hash
 * @param stateRoot the state root
 * @param receiptsRoot the receipts root
 * @param logsBloom the 256-byte logs bloom
 * @param gasUsed the gas used by the whole block
 */
public record BlockEnd(
    Bytes ethBlockHash, Bytes stateRoot, Bytes receiptsRoot, Bytes logsBloom, long gasUsed)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 360;

  @Override
  public ExecEventType type() {
    return ExecEventType.BLOCK_END;
  }

  /** A reusable zero-copy view of a BLOCK_END payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.BLOCK_END, SIZE);
    }

    /**
     * Field eth_block_hash.
     *
     * @return the Ethereum block hash
     */
    public Bytes ethBlockHash() {
      return bytes(0, 32);
    }

    /**
     * Field state_root.
     *
     * @return the state root
     */
    public Bytes stateRoot() {
      return bytes(32, 32);
    }

    /**
     * Field receipts_root.
     *
     * @return the receipts root
     */
    public Bytes receiptsRoot() {
      return bytes(64, 32);
    }

    /**
     * Field logs_bloom.
     *
     * @return the 256-byte logs bloom
     */
    public Bytes logsBloom() {
      return bytes(96, 256);
    }

    /**
     * Field gas_used.
     *
     * @return the gas used by the whole block
     */
    public long gasUsed() {
      return u64(352);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public BlockEnd toRecord() {
      return new BlockEnd(ethBlockHash(), stateRoot(), receiptsRoot(), logsBloom(), gasUsed());
    }
  }
}
