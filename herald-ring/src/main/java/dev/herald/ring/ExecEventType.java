package dev.herald.ring;

/**
 * The 25 event types of the {@link ContentType#EXEC} schema (the Monad execution daemon's events),
 * in code order: {@code ordinal() == code()}.
 *
 * <p>Consensus events ({@link #BLOCK_QC}, {@link #BLOCK_FINALIZED}, {@link #BLOCK_VERIFIED}) are
 * recorded outside blocks; every other event from {@link #BLOCK_START} to {@link #BLOCK_END}
 * carries its block's BLOCK_START sequence number in flow tag {@link ExecFlowTag#BLOCK_SEQNO}.
 *
 * <pre>{@code
 * if (ContentType.EXEC.kind(d.eventType()) == ExecEventType.BLOCK_START) { ... }
 * }</pre>
 */
public enum ExecEventType implements EventKind {
  /** Code 0, never recorded. */
  NONE("reserved code 0, never recorded"),
  /** A recorder failure; the payload is a {@link RecordError}. */
  RECORD_ERROR("the recorder dropped or truncated an event"),
  /** Execution of a proposed block begins (528-byte header). */
  BLOCK_START("execution of a block begins"),
  /** The block failed validation (a 32-bit reason code). */
  BLOCK_REJECT("the block was rejected"),
  /** Marker: the block's EVM work starts. */
  BLOCK_PERF_EVM_ENTER("the block enters the EVM"),
  /** Marker: the block's EVM work ends. */
  BLOCK_PERF_EVM_EXIT("the block leaves the EVM"),
  /** Execution of the block finished (360-byte result). */
  BLOCK_END("execution of a block ends"),
  /** Consensus saw a quorum certificate for a block. */
  BLOCK_QC("a quorum certificate was seen for a block"),
  /** Consensus finalized a block. */
  BLOCK_FINALIZED("a block was finalized"),
  /** A block's execution result was verified. */
  BLOCK_VERIFIED("a block's result was verified"),
  /** A transaction's header begins (352 bytes plus its input data). */
  TXN_HEADER_START("a transaction header begins"),
  /** One entry of the transaction's access list. */
  TXN_ACCESS_LIST_ENTRY("an access-list entry of the transaction"),
  /** One entry of the transaction's authorization list. */
  TXN_AUTH_LIST_ENTRY("an authorization-list entry of the transaction"),
  /** Marker: the transaction header is complete. */
  TXN_HEADER_END("the transaction header is complete"),
  /** The transaction was rejected (a 32-bit reason code). */
  TXN_REJECT("the transaction was rejected"),
  /** Marker: the transaction enters the EVM. */
  TXN_PERF_EVM_ENTER("the transaction enters the EVM"),
  /** Marker: the transaction leaves the EVM. */
  TXN_PERF_EVM_EXIT("the transaction leaves the EVM"),
  /** The transaction's receipt summary. */
  TXN_EVM_OUTPUT("the transaction's EVM output"),
  /** A log emitted by the transaction: topics, then data. */
  TXN_LOG("a log emitted by the transaction"),
  /** A call frame of the transaction: input, then return data. */
  TXN_CALL_FRAME("a call frame of the transaction"),
  /** Marker: the transaction's events are complete. */
  TXN_END("the transaction's events are complete"),
  /** Header of a series of account accesses. */
  ACCOUNT_ACCESS_LIST_HEADER("a series of account accesses begins"),
  /** One account read or written. */
  ACCOUNT_ACCESS("an account was accessed"),
  /** One storage slot read or written. */
  STORAGE_ACCESS("a storage slot was accessed"),
  /** The EVM reported an error. */
  EVM_ERROR("the EVM reported an error");

  /** {@code MONAD_EXEC_EVENT_COUNT}. */
  public static final int COUNT = 25;

  private static final ExecEventType[] BY_CODE = values();

  private final String description;

  ExecEventType(String description) {
    this.description = description;
  }

  /**
   * The type with this code.
   *
   * @param code the descriptor's event type
   * @return the type, or null if the code is 25 or more
   */
  public static ExecEventType ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  @Override
  public int code() {
    return ordinal();
  }

  @Override
  public String cName() {
    return name();
  }

  @Override
  public String description() {
    return description;
  }
}
