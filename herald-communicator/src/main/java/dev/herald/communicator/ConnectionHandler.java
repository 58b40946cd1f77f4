package dev.herald.communicator;

import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * What a {@link Connection} does when its fd is ready or its timeout is due: upstream's {@code
 * process_*} virtual functions, as an interface with defaults. In one round the communicator calls,
 * for each connection in priority order, {@link #readable} (data, or a client to accept, on a
 * listener), {@link #writable}, {@link #error}, {@link #hangUp}, {@link #invalid}, then {@link
 * #timeout}, each only when it applies; once a connection is removed it gets no further call in
 * that round. Callbacks run on the loop thread; what they throw leaves {@link Communicator#run()}.
 *
 * <p>The defaults of {@link #error}, {@link #hangUp} and {@link #invalid} log and remove the
 * connection, as upstream's do.
 *
 * <pre>{@code
 * Connection wake = Connection.of("wake", eventFd, new ConnectionHandler() {
 *   @Override public void readable(Connection c) { work(eventFd.take()); }
 *   @Override public void removed(Connection c) { eventFd.close(); }
 * });
 * Connection tick = Connection.timer("tick", ConnectionHandler.onTimeout(c -> poll()));
 * }</pre>
 */
public interface ConnectionHandler {
  /**
   * The fd is readable (data, end of file, or a pending client on a listening socket).
   *
   * @param connection the connection
   */
  default void readable(Connection connection) {}

  /**
   * The fd is writable (only reported while {@link Connection#isWriting()}).
   *
   * @param connection the connection
   */
  default void writable(Connection connection) {}

  /**
   * The kernel reported an error on the fd ({@code EPOLLERR}). The default logs and removes the
   * connection.
   *
   * @param connection the connection
   */
  default void error(Connection connection) {
    LoggerFactory.getLogger(ConnectionHandler.class)
        .debug(
            "socket {} of connection \"{}\" was marked as erroneous by the kernel.",
            connection.fdNumber(),
            connection.name());
    connection.remove();
  }

  /**
   * The peer hung up ({@code EPOLLHUP} or {@code EPOLLRDHUP}), reported after {@link #readable},
   * which may still read what the peer sent last. The default logs and removes the connection.
   *
   * @param connection the connection
   */
  default void hangUp(Connection connection) {
    LoggerFactory.getLogger(ConnectionHandler.class)
        .debug("socket {} of connection \"{}\" hang up.", connection.fdNumber(), connection.name());
    connection.remove();
  }

  /**
   * The fd cannot be watched (epoll refused it: closed, or a regular file), the epoll form of
   * upstream's {@code POLLNVAL}. The default logs and removes the connection.
   *
   * @param connection the connection
   */
  default void invalid(Connection connection) {
    LoggerFactory.getLogger(ConnectionHandler.class)
        .error(
            "socket of connection \"{}\" was marked as invalid by the kernel.", connection.name());
    connection.remove();
  }

  /**
   * The connection's timeout is due. A one-shot date is already reset to -1 and the next tick of a
   * delay already computed, so this callback may set new ones.
   *
   * @param connection the connection
   */
  default void timeout(Connection connection) {}

  /**
   * The connection was added to a communicator (upstream's {@code connection_added}).
   *
   * @param connection the connection
   */
  default void added(Connection connection) {}

  /**
   * The connection was removed from its communicator (upstream's {@code connection_removed}): the
   * place to close what the connection owns. Its fd is out of epoll already.
   *
   * @param connection the connection
   */
  default void removed(Connection connection) {}

  /**
   * A handler that only acts on timeouts: for timers.
   *
   * @param action what to do at each timeout
   * @return the handler
   */
  static ConnectionHandler onTimeout(Consumer<Connection> action) {
    Objects.requireNonNull(action, "action");
    return new ConnectionHandler() {
      @Override
      public void timeout(Connection connection) {
        action.accept(connection);
      }
    };
  }
}
