package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.math.BigInteger;
import java.util.List;

/**
 * The TXN_HEADER_START payload ({@code monad_exec_txn_header_start}): a transaction's hash, sender
 * and signed header, followed by its calldata and blob hashes.
 *
 * <pre>{@code
 * TxnHeaderStart.View view = new TxnHeaderStart.View();
 * if (view.wrap(ring, d)) {
 *   TxnHeaderStart kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param txnHash the transaction hash
 * @param sender the recovered sender
 * @param txnType the transaction type, 0 legacy to 4 EIP-7702
 * @param chainId the chain id, 0 for a pre-EIP-155 legacy transaction
 * @param nonce the sender nonce
 * @param gasLimit the gas limit
 * @param maxFeePerGas the max fee per gas (the gas price of types 0 and 1)
 * @param maxPriorityFeePerGas the max priority fee per gas
 * @param value the value transferred
 * @param to the recipient, all zero for a creation
 * @param isContractCreation whether the transaction creates a contract
 * @param r the signature r
 * @param s the signature s
 * @param yParity the signature y parity
 * @param maxFeePerBlobGas the max fee per blob gas
 * @param dataLength the calldata length in bytes
 * @param blobVersionedHashLength the number of blob versioned hashes
 * @param accessListCount the number of TXN_ACCESS_LIST_ENTRY events that follow
 * @param authListCount the number of TXN_AUTH_LIST_ENTRY events that follow
 * @param data the calldata
 * @param blobVersionedHashes the blob versioned hashes
 */
public record TxnHeaderStart(
    Bytes txnHash,
    Bytes sender,
    int txnType,
    BigInteger chainId,
    long nonce,
    long gasLimit,
    BigInteger maxFeePerGas,
    BigInteger maxPriorityFeePerGas,
    BigInteger value,
    Bytes to,
    boolean isContractCreation,
    BigInteger r,
    BigInteger s,
    boolean yParity,
    BigInteger maxFeePerBlobGas,
    long dataLength,
    long blobVersionedHashLength,
    long accessListCount,
    long authListCount,
    Bytes data,
    List<Bytes> blobVersionedHashes)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 352;

  /** Copies the lists. */
  public TxnHeaderStart {
    blobVersionedHashes = List.copyOf(blobVersionedHashes);
  }

  @Override
  public ExecEventType type() {
    return ExecEventType.TXN_HEADER_START;
  }

  /** A reusable zero-copy view of a TXN_HEADER_START payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.TXN_HEADER_START, SIZE);
    }

    /**
     * Field txn_hash.
     *
     * @return the transaction hash
     */
    public Bytes txnHash() {
      return bytes(0, 32);
    }

    /**
     * Field sender.
     *
     * @return the recovered sender
     */
    public Bytes sender() {
      return bytes(32, 20);
    }

    /**
     * Field txn_type.
     *
     * @return the transaction type, 0 legacy to 4 EIP-7702
     */
    public int txnType() {
      return u8(56);
    }

    /**
     * Field chain_id.
     *
     * @return the chain id, 0 for a pre-EIP-155 legacy transaction
     */
    public BigInteger chainId() {
      return uint256(64);
    }

    /**
     * Field nonce.
     *
     * @return the sender nonce
     */
    public long nonce() {
      return u64(96);
    }

    /**
     * Field gas_limit.
     *
     * @return the gas limit
     */
    public long gasLimit() {
      return u64(104);
    }

    /**
     * Field max_fee_per_gas.
     *
     * @return the max fee per gas (the gas price of types 0 and 1)
     */
    public BigInteger maxFeePerGas() {
      return uint256(112);
    }

    /**
     * Field max_priority_fee_per_gas.
     *
     * @return the max priority fee per gas
     */
    public BigInteger maxPriorityFeePerGas() {
      return uint256(144);
    }

    /**
     * Field value.
     *
     * @return the value transferred
     */
    public BigInteger value() {
      return uint256(176);
    }

    /**
     * Field to.
     *
     * @return the recipient, all zero for a creation
     */
    public Bytes to() {
      return bytes(208, 20);
    }

    /**
     * Field is_contract_creation.
     *
     * @return whether the transaction creates a contract
     */
    public boolean isContractCreation() {
      return bool(228);
    }

    /**
     * Field r.
     *
     * @return the signature r
     */
    public BigInteger r() {
      return uint256(232);
    }

    /**
     * Field s.
     *
     * @return the signature s
     */
    public BigInteger s() {
      return uint256(264);
    }

    /**
     * Field y_parity.
     *
     * @return the signature y parity
     */
    public boolean yParity() {
      return bool(296);
    }

    /**
     * Field max_fee_per_blob_gas.
     *
     * @return the max fee per blob gas
     */
    public BigInteger maxFeePerBlobGas() {
      return uint256(304);
    }

    /**
     * Field data_length.
     *
     * @return the calldata length in bytes
     */
    public long dataLength() {
      return u32(336);
    }

    /**
     * Field blob_versioned_hash_length.
     *
     * @return the number of blob versioned hashes
     */
    public long blobVersionedHashLength() {
      return u32(340);
    }

    /**
     * Field access_list_count.
     *
     * @return the number of TXN_ACCESS_LIST_ENTRY events that follow
     */
    public long accessListCount() {
      return u32(344);
    }

    /**
     * Field auth_list_count.
     *
     * @return the number of TXN_AUTH_LIST_ENTRY events that follow
     */
    public long authListCount() {
      return u32(348);
    }

    /**
     * The trailing data (copied).
     *
     * @return the calldata
     */
    public Bytes data() {
      return bytes(SIZE, dataLength());
    }

    /**
     * One of the trailing blobVersionedHashes.
     *
     * @param i 0 to blobVersionedHashLength() - 1
     * @return the 32 bytes
     * @throws IndexOutOfBoundsException if there is no such item
     */
    public Bytes blobVersionedHash(int i) {
      java.util.Objects.checkIndex(i, blobVersionedHashLength());
      return bytes(SIZE + dataLength() + 32L * i, 32);
    }

    /**
     * The trailing blobVersionedHashes (copied).
     *
     * @return the blob versioned hashes
     */
    public List<Bytes> blobVersionedHashes() {
      Bytes[] out = new Bytes[items(SIZE + dataLength(), blobVersionedHashLength())];
      for (int i = 0; i < out.length; i++) {
        out[i] = blobVersionedHash(i);
      }
      return List.of(out);
    }

    @Override
    long tailSize() {
      return dataLength() + blobVersionedHashLength() * 32;
    }

    @Override
    String describeTail() {
      return "data_length "
          + Long.toUnsignedString(dataLength())
          + " + "
          + "blob_versioned_hash_length "
          + Long.toUnsignedString(blobVersionedHashLength())
          + " x 32";
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public TxnHeaderStart toRecord() {
      return new TxnHeaderStart(
          txnHash(),
          sender(),
          txnType(),
          chainId(),
          nonce(),
          gasLimit(),
          maxFeePerGas(),
          maxPriorityFeePerGas(),
          value(),
          to(),
          isContractCreation(),
          r(),
          s(),
          yParity(),
          maxFeePerBlobGas(),
          dataLength(),
          blobVersionedHashLength(),
          accessListCount(),
          authListCount(),
          data(),
          blobVersionedHashes());
    }
  }
}
