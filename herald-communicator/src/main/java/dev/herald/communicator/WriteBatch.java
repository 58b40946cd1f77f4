package dev.herald.communicator;

/**
 * Output gathered while one connection's input is delivered, so that the replies to all the lines
 * of one read leave in one system call instead of one per reply. One per communicator (only one
 * connection's input is delivered at a time), in its {@link LoopBuffers}, so an idle connection
 * holds nothing for it.
 */
final class WriteBatch {
  /** Replies to one read's lines fit many times over; a larger write bypasses the batch. */
  static final int SIZE = 16 * 1024;

  private final byte[] data = new byte[SIZE];
  private int length;
  private StreamConnection owner;

  /**
   * Starts gathering for {@code connection}.
   *
   * @return false when a batch is open already (it stays with its owner)
   */
  boolean begin(StreamConnection connection) {
    if (owner != null) {
      return false;
    }
    owner = connection;
    length = 0;
    return true;
  }

  /** Whether writes of {@code connection} are being gathered. */
  boolean isFor(StreamConnection connection) {
    return owner == connection;
  }

  /**
   * Adds bytes to the batch.
   *
   * @return false when they do not fit: write the batch, then them, yourself
   */
  boolean add(byte[] bytes, int offset, int count) {
    if (count > SIZE - length) {
      return false;
    }
    System.arraycopy(bytes, offset, data, length, count);
    length += count;
    return true;
  }

  byte[] data() {
    return data;
  }

  int length() {
    return length;
  }

  /** Empties the batch; it stays open. */
  void clear() {
    length = 0;
  }

  /** Ends gathering. */
  void end() {
    owner = null;
    length = 0;
  }
}
