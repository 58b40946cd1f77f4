package dev.herald.communicator;

import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.SocketAddress;
import java.util.Objects;

/**
 * The logrotate extension: a UDP listener, of its own, on which a service answers {@code
 * LOG_ROTATE} (and the other default commands) by reopening its logs. logrotate's {@code
 * postrotate} script pokes it with one datagram, {@code herald signal --host 127.0.0.1:PORT
 * ./LOG_ROTATE}, and the service's {@link ServiceHooks#logRotate()} runs on the loop.
 *
 * <pre>{@code
 * DatagramConnection rotate =
 *     LogrotateListener.open(communicator, SocketAddress.parse("127.0.0.1:4988"), "", hooks);
 * }</pre>
 *
 * <p>How the log is reopened is the hooks' business, because SLF4J is an API, not a logger: with
 * Logback a {@code RollingFileAppender}'s {@code stop()} and {@code start()} reopen its file, with
 * Log4j 2 {@code LoggerContext.reconfigure()} does, and a service that writes a file itself closes
 * and reopens it (as {@code herald service --log FILE} does).
 */
public final class LogrotateListener {
  /** The listener's name, as upstream names its connection. */
  public static final String NAME = "logrotate_udp_messenger";

  private LogrotateListener() {}

  /**
   * Binds the listener and adds it to the loop, with a dispatcher of its own holding the default
   * commands.
   *
   * @param communicator the loop
   * @param address where to listen: {@code IPV4:PORT} or {@code [IPV6]:PORT} (port 0 picks one)
   * @param secretCode the code every datagram must carry in {@code secret_code}, or empty for none
   * @param hooks what the service does on the default commands ({@code logRotate} above all)
   * @return the listener; close it, or let the communicator close, to stop listening
   * @throws CommunicatorException {@code LISTEN_FAILED} when the address cannot be bound
   */
  public static DatagramConnection open(
      Communicator communicator, SocketAddress address, String secretCode, ServiceHooks hooks) {
    Objects.requireNonNull(secretCode, "secretCode");
    Objects.requireNonNull(hooks, "hooks");
    Dispatcher dispatcher = new Dispatcher();
    DefaultCommands.install(dispatcher, hooks);
    return DatagramConnection.listen(communicator, NAME, address, dispatcher)
        .setSecretCode(secretCode);
  }
}
