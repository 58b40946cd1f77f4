package dev.herald.communicator;

import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageSender;
import dev.herald.os.SocketAddress;
import java.util.Objects;

/**
 * Where a datagram message came from: the {@link Message#origin()} of every message a {@link
 * DatagramConnection} dispatches, so that a handler can see the sender's address and the dispatcher
 * can send replies there (only when the connection {@link DatagramConnection#setReplying allows
 * replies}: upstream's datagram servers never reply).
 *
 * <pre>{@code
 * dispatcher.addMatch(DispatcherMatch.command("LOG_ROTATE", message -> {
 *   if (message.origin() instanceof DatagramPeer peer) {
 *     LOG.info("log rotation asked by {}", peer.address());   // 127.0.0.1:51234, @name, ...
 *   }
 * }));
 * }</pre>
 *
 * @param connection the connection the datagram arrived on
 * @param address the sender's address ({@link SocketAddress.UnixUnnamed} for a Unix sender that did
 *     not bind: it cannot be answered)
 */
public record DatagramPeer(DatagramConnection connection, SocketAddress address)
    implements MessageSender {
  /**
   * Checks the components.
   *
   * @throws NullPointerException for a null component
   */
  public DatagramPeer {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(address, "address");
  }

  /**
   * Sends a message back to the sender, as one datagram from the connection's socket.
   *
   * @param message the message
   * @param cache ignored: datagrams are not cached
   * @return false when the connection does not reply, the sender cannot be answered (an unnamed
   *     Unix socket) or the datagram could not be sent (logged); else true
   * @throws CommunicatorException {@code MESSAGE_TOO_LARGE} when the message does not fit in one
   *     datagram
   */
  @Override
  public boolean sendMessage(Message message, boolean cache) {
    return connection.reply(message, address);
  }
}
