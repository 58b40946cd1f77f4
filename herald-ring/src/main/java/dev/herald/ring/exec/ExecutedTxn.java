package dev.herald.ring.exec;

import java.util.List;

/**
 * One executed transaction of an {@link ExecutedBlock}, assembled from its events.
 *
 * <pre>{@code
 * for (ExecutedTxn t : block.transactions()) {
 *   System.out.println(t.header().txnHash() + " " + t.output().gasUsed());
 * }
 * }</pre>
 *
 * @param index the transaction's index in the block
 * @param header the TXN_HEADER_START payload (hash, sender, signed header, calldata)
 * @param accessList the access list, in index order
 * @param authList the EIP-7702 authorization list, in index order
 * @param output the receipt summary
 * @param logs the logs, in index order
 * @param callFrames the call frames, in index order
 * @param accesses the accounts it accessed, in index order
 */
public record ExecutedTxn(
    int index,
    TxnHeaderStart header,
    List<TxnAccessListEntry> accessList,
    List<TxnAuthListEntry> authList,
    TxnEvmOutput output,
    List<TxnLog> logs,
    List<TxnCallFrame> callFrames,
    List<AccessedAccount> accesses) {
  /** Copies the lists. */
  public ExecutedTxn {
    accessList = List.copyOf(accessList);
    authList = List.copyOf(authList);
    logs = List.copyOf(logs);
    callFrames = List.copyOf(callFrames);
    accesses = List.copyOf(accesses);
  }
}
