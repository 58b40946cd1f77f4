package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.math.BigInteger;

/**
 * The ACCOUNT_ACCESS payload ({@code monad_exec_account_access}): one account read or written, with
 * its prestate and changes.
 *
 * <pre>{@code
 * AccountAccess.View view = new AccountAccess.View();
 * if (view.wrap(ring, d)) {
 *   AccountAccess kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param index the position in the scope's list
 * @param address the account
 * @param accessContext the context: 0 prologue, 1 transaction, 2 epilogue
 * @param isBalanceModified whether the balance changed
 * @param isNonceModified whether the nonce changed
 * @param prestateNonce the original nonce
 * @param prestateBalance the original balance
 * @param prestateCodeHash the code hash
 * @param modifiedBalance the new balance, meaningful only if modified
 * @param modifiedNonce the new nonce, meaningful only if modified
 * @param storageKeyCount the number of persistent STORAGE_ACCESS events that follow
 * @param transientCount the number of transient STORAGE_ACCESS events that follow
 */
public record AccountAccess(
    long index,
    Bytes address,
    int accessContext,
    boolean isBalanceModified,
    boolean isNonceModified,
    long prestateNonce,
    BigInteger prestateBalance,
    Bytes prestateCodeHash,
    BigInteger modifiedBalance,
    long modifiedNonce,
    long storageKeyCount,
    long transientCount)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 152;

  @Override
  public ExecEventType type() {
    return ExecEventType.ACCOUNT_ACCESS;
  }

  /** A reusable zero-copy view of a ACCOUNT_ACCESS payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.ACCOUNT_ACCESS, SIZE);
    }

    /**
     * Field index.
     *
     * @return the position in the scope's list
     */
    public long index() {
      return u32(0);
    }

    /**
     * Field address.
     *
     * @return the account
     */
    public Bytes address() {
      return bytes(4, 20);
    }

    /**
     * Field access_context.
     *
     * @return the context: 0 prologue, 1 transaction, 2 epilogue
     */
    public int accessContext() {
      return u8(24);
    }

    /**
     * Field is_balance_modified.
     *
     * @return whether the balance changed
     */
    public boolean isBalanceModified() {
      return bool(25);
    }

    /**
     * Field is_nonce_modified.
     *
     * @return whether the nonce changed
     */
    public boolean isNonceModified() {
      return bool(26);
    }

    /**
     * Field prestate_nonce.
     *
     * @return the original nonce
     */
    public long prestateNonce() {
      return u64(32);
    }

    /**
     * Field prestate_balance.
     *
     * @return the original balance
     */
    public BigInteger prestateBalance() {
      return uint256(40);
    }

    /**
     * Field prestate_code_hash.
     *
     * @return the code hash
     */
    public Bytes prestateCodeHash() {
      return bytes(72, 32);
    }

    /**
     * Field modified_balance.
     *
     * @return the new balance, meaningful only if modified
     */
    public BigInteger modifiedBalance() {
      return uint256(104);
    }

    /**
     * Field modified_nonce.
     *
     * @return the new nonce, meaningful only if modified
     */
    public long modifiedNonce() {
      return u64(136);
    }

    /**
     * Field storage_key_count.
     *
     * @return the number of persistent STORAGE_ACCESS events that follow
     */
    public long storageKeyCount() {
      return u32(144);
    }

    /**
     * Field transient_count.
     *
     * @return the number of transient STORAGE_ACCESS events that follow
     */
    public long transientCount() {
      return u32(148);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public AccountAccess toRecord() {
      return new AccountAccess(
          index(),
          address(),
          accessContext(),
          isBalanceModified(),
          isNonceModified(),
          prestateNonce(),
          prestateBalance(),
          prestateCodeHash(),
          modifiedBalance(),
          modifiedNonce(),
          storageKeyCount(),
          transientCount());
    }
  }
}
