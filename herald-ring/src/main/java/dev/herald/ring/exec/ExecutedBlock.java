package dev.herald.ring.exec;

import java.util.List;

/**
 * A block whose execution completed (BLOCK_START to BLOCK_END), with every transaction, log, call
 * frame and account and storage access.
 *
 * <pre>{@code
 * ExecutedBlock b = update.block();
 * System.out.println(b.start().number() + ": " + b.transactions().size() + " txns, hash "
 *     + b.end().ethBlockHash());
 * }</pre>
 *
 * @param startSeqno the sequence number of the BLOCK_START event
 * @param start the BLOCK_START payload
 * @param end the BLOCK_END payload
 * @param transactions the transactions, in index order
 * @param prologue the accounts accessed before the first transaction
 * @param epilogue the accounts accessed after the last transaction (e.g. the block reward)
 */
public record ExecutedBlock(
    long startSeqno,
    BlockStart start,
    BlockEnd end,
    List<ExecutedTxn> transactions,
    List<AccessedAccount> prologue,
    List<AccessedAccount> epilogue) {
  /** Copies the lists. */
  public ExecutedBlock {
    transactions = List.copyOf(transactions);
    prologue = List.copyOf(prologue);
    epilogue = List.copyOf(epilogue);
  }

  /**
   * The block's consensus tag, from its BLOCK_START.
   *
   * @return the tag
   */
  public BlockTag tag() {
    return start.blockTag();
  }
}
