package dev.herald.communicator;

/**
 * What a {@link StreamConnection} does with its input: the pieces its {@link Framing} cuts (each
 * read for raw bytes, each line for lines), and its end. Called on the loop thread.
 *
 * <pre>{@code
 * StreamHandler echo = (stream, data, offset, length) -> {
 *   stream.write(data, offset, length);
 *   stream.write(NEWLINE, 0, 1);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface StreamHandler {
  /**
   * Input arrived: a line without its terminator, or the bytes of one read.
   *
   * @param stream the connection
   * @param data a buffer shared by the communicator's connections: valid during this call only
   * @param offset where the piece starts in {@code data}
   * @param length its length in bytes
   */
  void received(StreamConnection stream, byte[] data, int offset, int length);

  /**
   * The connection's timeout is due (see {@link Connection#setTimeoutDelay}).
   *
   * @param stream the connection
   */
  default void timeout(StreamConnection stream) {}

  /**
   * The connection is closed: removed from its communicator and its transport closed.
   *
   * @param stream the connection
   * @param failure why, when it failed ({@code IO_ERROR}, {@code LINE_TOO_LONG}, {@code
   *     OUTPUT_OVERFLOW}); null when it ended in order (closed by this side, done and flushed, or
   *     the peer hung up)
   */
  default void closed(StreamConnection stream, CommunicatorException failure) {}
}
