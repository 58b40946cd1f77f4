package dev.herald.ring.exec;

import java.util.List;

/**
 * One account a transaction (or a block's prologue or epilogue) read or wrote, with the storage
 * slots it touched: an ACCOUNT_ACCESS event and the STORAGE_ACCESS events that point at it.
 *
 * <pre>{@code
 * for (AccessedAccount a : txn.accesses()) {
 *   if (a.account().isNonceModified()) { ... }
 * }
 * }</pre>
 *
 * @param account the account access
 * @param storage the persistent storage slots, in index order
 * @param transientStorage the EIP-1153 transient slots, in index order
 */
public record AccessedAccount(
    AccountAccess account, List<StorageAccess> storage, List<StorageAccess> transientStorage) {
  /** Copies the lists. */
  public AccessedAccount {
    storage = List.copyOf(storage);
    transientStorage = List.copyOf(transientStorage);
  }
}
