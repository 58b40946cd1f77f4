package dev.herald.ring.exec;

/**
 * Why a block in progress was dropped instead of emitted, or why the assembler lost its state: the
 * signal that replaces a silently wrong block.
 *
 * <pre>{@code
 * public void dropped(BlockDrop d) {
 *   System.err.println(d.describe()); // "block 15000003 (BLOCK_START seqno 12345) dropped: ..."
 * }
 * }</pre>
 *
 * @param block the dropped block's tag, or null if no block was in progress
 * @param startSeqno the sequence number of its BLOCK_START, 0 if none
 * @param reason why
 * @param detail what exactly happened, for a person
 */
public record BlockDrop(BlockTag block, long startSeqno, Reason reason, String detail) {
  /** Why a block was dropped. */
  public enum Reason {
    /** A new BLOCK_START arrived before this block's BLOCK_END. */
    UNTERMINATED,
    /** This BLOCK_START came while another block was unterminated; upstream skips it too. */
    SKIPPED,
    /** BLOCK_REJECT: the block failed validation. */
    BLOCK_REJECTED,
    /** TXN_REJECT: a transaction was invalid, which invalidates the block. */
    TXN_REJECTED,
    /** EVM_ERROR inside the block. */
    EVM_ERROR,
    /** RECORD_ERROR: the recorder lost an event. */
    RECORD_ERROR,
    /** The reader was lapped by the writer and missed events. */
    GAP,
    /** A payload was overwritten before it could be read. */
    PAYLOAD_EXPIRED,
    /** A payload disagreed with its own structure. */
    CORRUPT,
    /** BLOCK_END arrived while a transaction, output, log or call frame was missing. */
    INCOMPLETE,
    /** An event contradicts the block assembled so far (a duplicate or out-of-range index). */
    INCONSISTENT
  }

  /**
   * One line for a person: which block and why.
   *
   * @return the description
   */
  public String describe() {
    String which =
        block == null
            ? "no block in progress"
            : "block "
                + Long.toUnsignedString(block.blockNumber())
                + " (id "
                + block.id()
                + ", BLOCK_START seqno "
                + startSeqno
                + ") dropped";
    return which + ": " + reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
  }
}
