package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.math.BigInteger;

/**
 * The BLOCK_START payload ({@code monad_exec_block_start}): a proposed block about to execute, with
 * its consensus tag and Ethereum header inputs.
 *
 * <pre>{@code
 * BlockStart.View view = new BlockStart.View();
 * if (view.wrap(ring, d)) {
 *   BlockStart kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param blockTag the block tag: consensus id and the number the block gets if finalized
 * @param round the consensus round of the proposal
 * @param epoch the consensus epoch
 * @param proposalEpochNanos the proposal time in UNIX nanoseconds
 * @param chainId the chain id
 * @param authorYParity the y parity of the author's compressed secp256k1 key
 * @param authorX the x coordinate of the author's key
 * @param parentEthHash the parent block's Ethereum hash
 * @param ommersHash the ommers hash
 * @param beneficiary the beneficiary (miner) address
 * @param transactionsRoot the transactions root
 * @param difficulty the difficulty (64 bits)
 * @param number the Ethereum block number
 * @param gasLimit the gas limit
 * @param timestamp the timestamp in UNIX seconds
 * @param extraDataLength the number of meaningful extra-data bytes, 0 to 32
 * @param prevRandao prev_randao, the header's mixHash
 * @param nonce the 8-byte block nonce
 * @param baseFeePerGas the base fee per gas, 0 if none
 * @param withdrawalsRoot the withdrawals root, all zero when absent
 * @param txnCount the number of transactions
 * @param baseFeeTrend the Monad base fee trend
 * @param baseFeeMoment the Monad base fee moment
 * @param extraData the meaningful extra data
 */
public record BlockStart(
    BlockTag blockTag,
    long round,
    long epoch,
    BigInteger proposalEpochNanos,
    BigInteger chainId,
    int authorYParity,
    Bytes authorX,
    Bytes parentEthHash,
    Bytes ommersHash,
    Bytes beneficiary,
    Bytes transactionsRoot,
    long difficulty,
    long number,
    long gasLimit,
    long timestamp,
    long extraDataLength,
    Bytes prevRandao,
    Bytes nonce,
    BigInteger baseFeePerGas,
    Bytes withdrawalsRoot,
    long txnCount,
    BigInteger baseFeeTrend,
    BigInteger baseFeeMoment,
    Bytes extraData)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 528;

  @Override
  public ExecEventType type() {
    return ExecEventType.BLOCK_START;
  }

  /** A reusable zero-copy view of a BLOCK_START payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.BLOCK_START, SIZE);
    }

    /**
     * Field block_tag.
     *
     * @return the block tag: consensus id and the number the block gets if finalized
     */
    public BlockTag blockTag() {
      return tag(0);
    }

    /**
     * Field round.
     *
     * @return the consensus round of the proposal
     */
    public long round() {
      return u64(40);
    }

    /**
     * Field epoch.
     *
     * @return the consensus epoch
     */
    public long epoch() {
      return u64(48);
    }

    /**
     * Field proposal_epoch_nanos.
     *
     * @return the proposal time in UNIX nanoseconds
     */
    public BigInteger proposalEpochNanos() {
      return unsignedLe(64, 16);
    }

    /**
     * Field chain_id.
     *
     * @return the chain id
     */
    public BigInteger chainId() {
      return uint256(80);
    }

    /**
     * Field author_y_parity.
     *
     * @return the y parity of the author's compressed secp256k1 key
     */
    public int authorYParity() {
      return u8(112);
    }

    /**
     * Field author_x.
     *
     * @return the x coordinate of the author's key
     */
    public Bytes authorX() {
      return bytes(113, 32);
    }

    /**
     * Field parent_eth_hash.
     *
     * @return the parent block's Ethereum hash
     */
    public Bytes parentEthHash() {
      return bytes(145, 32);
    }

    /**
     * Field ommers_hash.
     *
     * @return the ommers hash
     */
    public Bytes ommersHash() {
      return bytes(184, 32);
    }

    /**
     * Field beneficiary.
     *
     * @return the beneficiary (miner) address
     */
    public Bytes beneficiary() {
      return bytes(216, 20);
    }

    /**
     * Field transactions_root.
     *
     * @return the transactions root
     */
    public Bytes transactionsRoot() {
      return bytes(236, 32);
    }

    /**
     * Field difficulty.
     *
     * @return the difficulty (64 bits)
     */
    public long difficulty() {
      return u64(272);
    }

    /**
     * Field number.
     *
     * @return the Ethereum block number
     */
    public long number() {
      return u64(280);
    }

    /**
     * Field gas_limit.
     *
     * @return the gas limit
     */
    public long gasLimit() {
      return u64(288);
    }

    /**
     * Field timestamp.
     *
     * @return the timestamp in UNIX seconds
     */
    public long timestamp() {
      return u64(296);
    }

    /**
     * Field extra_data_length.
     *
     * @return the number of meaningful extra-data bytes, 0 to 32
     */
    public long extraDataLength() {
      return u64(336);
    }

    /**
     * Field prev_randao.
     *
     * @return prev_randao, the header's mixHash
     */
    public Bytes prevRandao() {
      return bytes(344, 32);
    }

    /**
     * Field nonce.
     *
     * @return the 8-byte block nonce
     */
    public Bytes nonce() {
      return bytes(376, 8);
    }

    /**
     * Field base_fee_per_gas.
     *
     * @return the base fee per gas, 0 if none
     */
    public BigInteger baseFeePerGas() {
      return uint256(384);
    }

    /**
     * Field withdrawals_root.
     *
     * @return the withdrawals root, all zero when absent
     */
    public Bytes withdrawalsRoot() {
      return bytes(416, 32);
    }

    /**
     * Field txn_count.
     *
     * @return the number of transactions
     */
    public long txnCount() {
      return u64(448);
    }

    /**
     * Field base_fee_trend.
     *
     * @return the Monad base fee trend
     */
    public BigInteger baseFeeTrend() {
      return uint256(456);
    }

    /**
     * Field base_fee_moment.
     *
     * @return the Monad base fee moment
     */
    public BigInteger baseFeeMoment() {
      return uint256(488);
    }

    @Override
    long tailSize() {
      return Long.compareUnsigned(extraDataLength(), 32) > 0 ? -1 : 0;
    }

    @Override
    String describeTail() {
      return "extra_data_length is at most 32";
    }

    /**
     * The meaningful extra data (copied).
     *
     * @return the first {@code extraDataLength()} bytes of the field
     */
    public Bytes extraData() {
      return bytes(304, extraDataLength());
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public BlockStart toRecord() {
      return new BlockStart(
          blockTag(),
          round(),
          epoch(),
          proposalEpochNanos(),
          chainId(),
          authorYParity(),
          authorX(),
          parentEthHash(),
          ommersHash(),
          beneficiary(),
          transactionsRoot(),
          difficulty(),
          number(),
          gasLimit(),
          timestamp(),
          extraDataLength(),
          prevRandao(),
          nonce(),
          baseFeePerGas(),
          withdrawalsRoot(),
          txnCount(),
          baseFeeTrend(),
          baseFeeMoment(),
          extraData());
    }
  }
}
