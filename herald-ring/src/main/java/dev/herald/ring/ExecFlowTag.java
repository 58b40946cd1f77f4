package dev.herald.ring;

/**
 * Indexes into a descriptor's {@code content_ext[4]} for {@link ContentType#EXEC} rings: the flow
 * tags that let a reader filter events without touching their payloads.
 *
 * <pre>{@code
 * long blockStart = d.contentExt(ExecFlowTag.BLOCK_SEQNO); // 0 outside a block
 * long txn = d.contentExt(ExecFlowTag.TXN_ID);             // index + 1, 0 = none
 * }</pre>
 */
public final class ExecFlowTag {
  /** Sequence number of the enclosing block's BLOCK_START (itself for BLOCK_START); 0 outside. */
  public static final int BLOCK_SEQNO = 0;

  /** Transaction index + 1; 0 when the event belongs to no transaction. */
  public static final int TXN_ID = 1;

  /** Index into the preceding ACCOUNT_ACCESS series. */
  public static final int ACCOUNT_INDEX = 2;

  private ExecFlowTag() {}
}
