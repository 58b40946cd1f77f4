package dev.herald.dispatcher;

/**
 * Something that sends messages: the connections implement it, and the dispatcher sends its replies
 * (ABSOLUTELY, COMMANDS, UNKNOWN, INVALID) through it.
 *
 * <pre>{@code
 * MessageSender toPeer = (message, cache) -> {
 *   writer.writeString(message).append('\n');
 *   return socket.write(writer.buffer(), 0, writer.length());
 * };
 * }</pre>
 */
@FunctionalInterface
public interface MessageSender {
  /**
   * Sends a message.
   *
   * @param message the message
   * @param cache when the peer is not connected, keep the message and send it once connected
   *     (permanent connections); otherwise drop it
   * @return true when the message was sent or cached
   */
  boolean sendMessage(Message message, boolean cache);

  /**
   * Sends a message without caching it.
   *
   * @param message the message
   * @return true when the message was sent
   */
  default boolean sendMessage(Message message) {
    return sendMessage(message, false);
  }
}
