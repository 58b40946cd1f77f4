package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.util.List;

/**
 * The TXN_LOG payload ({@code monad_c_eth_txn_log}): one log, followed by its topics and data.
 *
 * <pre>{@code
 * TxnLog.View view = new TxnLog.View();
 * if (view.wrap(ring, d)) {
 *   TxnLog kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param index the log index within the transaction
 * @param address the emitting contract
 * @param topicCount the number of topics, 0 to 4
 * @param dataLength the data length in bytes
 * @param topics the topics
 * @param data the data
 */
public record TxnLog(
    long index, Bytes address, int topicCount, long dataLength, List<Bytes> topics, Bytes data)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 32;

  /** Copies the lists. */
  public TxnLog {
    topics = List.copyOf(topics);
  }

  @Override
  public ExecEventType type() {
    return ExecEventType.TXN_LOG;
  }

  /** A reusable zero-copy view of a TXN_LOG payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.TXN_LOG, SIZE);
    }

    /**
     * Field index.
     *
     * @return the log index within the transaction
     */
    public long index() {
      return u32(0);
    }

    /**
     * Field address.
     *
     * @return the emitting contract
     */
    public Bytes address() {
      return bytes(4, 20);
    }

    /**
     * Field topic_count.
     *
     * @return the number of topics, 0 to 4
     */
    public int topicCount() {
      return u8(24);
    }

    /**
     * Field data_length.
     *
     * @return the data length in bytes
     */
    public long dataLength() {
      return u32(28);
    }

    /**
     * One of the trailing topics.
     *
     * @param i 0 to topicCount() - 1
     * @return the 32 bytes
     * @throws IndexOutOfBoundsException if there is no such item
     */
    public Bytes topic(int i) {
      java.util.Objects.checkIndex(i, topicCount());
      return bytes(SIZE + 32L * i, 32);
    }

    /**
     * The trailing topics (copied).
     *
     * @return the topics
     */
    public List<Bytes> topics() {
      Bytes[] out = new Bytes[items(SIZE, topicCount())];
      for (int i = 0; i < out.length; i++) {
        out[i] = topic(i);
      }
      return List.of(out);
    }

    /**
     * The trailing data (copied).
     *
     * @return the data
     */
    public Bytes data() {
      return bytes(SIZE + topicCount() * 32, dataLength());
    }

    @Override
    long tailSize() {
      if (topicCount() > 4) {
        return -1;
      }
      return topicCount() * 32 + dataLength();
    }

    @Override
    String describeTail() {
      return "topic_count "
          + Long.toUnsignedString(topicCount())
          + " x 32"
          + " + "
          + "data_length "
          + Long.toUnsignedString(dataLength())
          + " (topic_count is at most 4)";
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public TxnLog toRecord() {
      return new TxnLog(index(), address(), topicCount(), dataLength(), topics(), data());
    }
  }
}
