package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.math.BigInteger;

/**
 * The TXN_CALL_FRAME payload ({@code monad_exec_txn_call_frame}): one call frame, followed by its
 * input and return data.
 *
 * <pre>{@code
 * TxnCallFrame.View view = new TxnCallFrame.View();
 * if (view.wrap(ring, d)) {
 *   TxnCallFrame kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param index the frame number within the transaction, 0 for the top-level call
 * @param caller the caller
 * @param callTarget the callee, or the new contract of a CREATE frame
 * @param opcode the opcode, e.g. 0xF1 CALL or 0xF0 CREATE
 * @param value the value
 * @param gas the gas available to the frame
 * @param gasUsed the gas used
 * @param evmcStatus the evmc status code, 0 for success
 * @param depth the call depth
 * @param inputLength the input length in bytes
 * @param returnLength the return data length in bytes
 * @param input the input
 * @param returnData the return data
 */
public record TxnCallFrame(
    long index,
    Bytes caller,
    Bytes callTarget,
    int opcode,
    BigInteger value,
    long gas,
    long gasUsed,
    int evmcStatus,
    long depth,
    long inputLength,
    long returnLength,
    Bytes input,
    Bytes returnData)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 128;

  @Override
  public ExecEventType type() {
    return ExecEventType.TXN_CALL_FRAME;
  }

  /** A reusable zero-copy view of a TXN_CALL_FRAME payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.TXN_CALL_FRAME, SIZE);
    }

    /**
     * Field index.
     *
     * @return the frame number within the transaction, 0 for the top-level call
     */
    public long index() {
      return u32(0);
    }

    /**
     * Field caller.
     *
     * @return the caller
     */
    public Bytes caller() {
      return bytes(4, 20);
    }

    /**
     * Field call_target.
     *
     * @return the callee, or the new contract of a CREATE frame
     */
    public Bytes callTarget() {
      return bytes(24, 20);
    }

    /**
     * Field opcode.
     *
     * @return the opcode, e.g. 0xF1 CALL or 0xF0 CREATE
     */
    public int opcode() {
      return u8(44);
    }

    /**
     * Field value.
     *
     * @return the value
     */
    public BigInteger value() {
      return uint256(48);
    }

    /**
     * Field gas.
     *
     * @return the gas available to the frame
     */
    public long gas() {
      return u64(80);
    }

    /**
     * Field gas_used.
     *
     * @return the gas used
     */
    public long gasUsed() {
      return u64(88);
    }

    /**
     * Field evmc_status.
     *
     * @return the evmc status code, 0 for success
     */
    public int evmcStatus() {
      return i32(96);
    }

    /**
     * Field depth.
     *
     * @return the call depth
     */
    public long depth() {
      return u64(104);
    }

    /**
     * Field input_length.
     *
     * @return the input length in bytes
     */
    public long inputLength() {
      return u64(112);
    }

    /**
     * Field return_length.
     *
     * @return the return data length in bytes
     */
    public long returnLength() {
      return u64(120);
    }

    /**
     * The trailing input (copied).
     *
     * @return the input
     */
    public Bytes input() {
      return bytes(SIZE, inputLength());
    }

    /**
     * The trailing returnData (copied).
     *
     * @return the return data
     */
    public Bytes returnData() {
      return bytes(SIZE + inputLength(), returnLength());
    }

    @Override
    long tailSize() {
      if (Long.compareUnsigned(inputLength(), payloadSize()) > 0) {
        return -1;
      }
      if (Long.compareUnsigned(returnLength(), payloadSize()) > 0) {
        return -1;
      }
      return inputLength() + returnLength();
    }

    @Override
    String describeTail() {
      return "input_length "
          + Long.toUnsignedString(inputLength())
          + " + "
          + "return_length "
          + Long.toUnsignedString(returnLength());
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public TxnCallFrame toRecord() {
      return new TxnCallFrame(
          index(),
          caller(),
          callTarget(),
          opcode(),
          value(),
          gas(),
          gasUsed(),
          evmcStatus(),
          depth(),
          inputLength(),
          returnLength(),
          input(),
          returnData());
    }
  }
}
