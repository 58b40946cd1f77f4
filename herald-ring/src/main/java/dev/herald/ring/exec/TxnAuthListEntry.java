package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.math.BigInteger;

/**
 * The TXN_AUTH_LIST_ENTRY payload ({@code monad_exec_txn_auth_list_entry}): one EIP-7702
 * authorization.
 *
 * <pre>{@code
 * TxnAuthListEntry.View view = new TxnAuthListEntry.View();
 * if (view.wrap(ring, d)) {
 *   TxnAuthListEntry kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param index the position in the authorization list
 * @param chainId the chain id
 * @param address the delegation target
 * @param nonce the nonce
 * @param yParity the signature y parity
 * @param r the signature r
 * @param s the signature s
 * @param authority the recovered signer, zero if recovery failed
 * @param isValidAuthority whether the recovery succeeded
 */
public record TxnAuthListEntry(
    long index,
    BigInteger chainId,
    Bytes address,
    long nonce,
    boolean yParity,
    BigInteger r,
    BigInteger s,
    Bytes authority,
    boolean isValidAuthority)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 168;

  @Override
  public ExecEventType type() {
    return ExecEventType.TXN_AUTH_LIST_ENTRY;
  }

  /** A reusable zero-copy view of a TXN_AUTH_LIST_ENTRY payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.TXN_AUTH_LIST_ENTRY, SIZE);
    }

    /**
     * Field index.
     *
     * @return the position in the authorization list
     */
    public long index() {
      return u32(0);
    }

    /**
     * Field chain_id.
     *
     * @return the chain id
     */
    public BigInteger chainId() {
      return uint256(8);
    }

    /**
     * Field address.
     *
     * @return the delegation target
     */
    public Bytes address() {
      return bytes(40, 20);
    }

    /**
     * Field nonce.
     *
     * @return the nonce
     */
    public long nonce() {
      return u64(64);
    }

    /**
     * Field y_parity.
     *
     * @return the signature y parity
     */
    public boolean yParity() {
      return bool(72);
    }

    /**
     * Field r.
     *
     * @return the signature r
     */
    public BigInteger r() {
      return uint256(80);
    }

    /**
     * Field s.
     *
     * @return the signature s
     */
    public BigInteger s() {
      return uint256(112);
    }

    /**
     * Field authority.
     *
     * @return the recovered signer, zero if recovery failed
     */
    public Bytes authority() {
      return bytes(144, 20);
    }

    /**
     * Field is_valid_authority.
     *
     * @return whether the recovery succeeded
     */
    public boolean isValidAuthority() {
      return bool(164);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public TxnAuthListEntry toRecord() {
      return new TxnAuthListEntry(
          index(),
          chainId(),
          address(),
          nonce(),
          yParity(),
          r(),
          s(),
          authority(),
          isValidAuthority());
    }
  }
}
