package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The TXN_EVM_OUTPUT payload ({@code monad_exec_txn_evm_output}): a transaction's receipt summary
 * and how many logs and call frames follow.
 *
 * <pre>{@code
 * TxnEvmOutput.View view = new TxnEvmOutput.View();
 * if (view.wrap(ring, d)) {
 *   TxnEvmOutput kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param status the EIP-658 status, true for success
 * @param logCount the number of TXN_LOG events that follow
 * @param gasUsed the gas used by this transaction alone
 * @param callFrameCount the number of TXN_CALL_FRAME events that follow
 */
public record TxnEvmOutput(boolean status, long logCount, long gasUsed, long callFrameCount)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 24;

  @Override
  public ExecEventType type() {
    return ExecEventType.TXN_EVM_OUTPUT;
  }

  /** A reusable zero-copy view of a TXN_EVM_OUTPUT payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.TXN_EVM_OUTPUT, SIZE);
    }

    /**
     * Field status.
     *
     * @return the EIP-658 status, true for success
     */
    public boolean status() {
      return bool(0);
    }

    /**
     * Field log_count.
     *
     * @return the number of TXN_LOG events that follow
     */
    public long logCount() {
      return u32(4);
    }

    /**
     * Field gas_used.
     *
     * @return the gas used by this transaction alone
     */
    public long gasUsed() {
      return u64(8);
    }

    /**
     * Field call_frame_count.
     *
     * @return the number of TXN_CALL_FRAME events that follow
     */
    public long callFrameCount() {
      return u32(16);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public TxnEvmOutput toRecord() {
      return new TxnEvmOutput(status(), logCount(), gasUsed(), callFrameCount());
    }
  }
}
