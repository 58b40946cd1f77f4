package dev.herald.tools;

import dev.herald.communicator.Communicator;
import dev.herald.communicator.DatagramConnection;
import dev.herald.communicator.LogrotateListener;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.SocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The logrotate extension's options (upstream's {@code logrotate_extension}), a picocli mixin for
 * any service command: {@code --logrotate-listen ADDR} opens a {@link LogrotateListener} there,
 * {@code --logrotate-secret CODE} is the secret code its datagrams must carry.
 */
final class LogrotateOptions {
  @Option(
      names = {"-R", "--logrotate-listen"},
      paramLabel = "HOST:PORT",
      converter = UdpAddress.class,
      description =
          "Also listen for LOG_ROTATE (and the other default commands) on this UDP address, e.g."
              + " 127.0.0.1:4988 (port 0 picks one); logrotate's postrotate runs 'herald signal"
              + " --host HOST:PORT LOG_ROTATE'.")
  SocketAddress listen;

  @Option(
      names = "--logrotate-secret",
      paramLabel = "CODE",
      defaultValue = "",
      description =
          "The secret code the logrotate listener's datagrams must carry (default: none).")
  String secret;

  /**
   * Opens the listener if {@code --logrotate-listen} was given.
   *
   * @param communicator the service's loop
   * @param hooks what the service does on LOG_ROTATE and the other default commands
   * @return the listener, or null when none was asked for
   */
  DatagramConnection open(Communicator communicator, ServiceHooks hooks) {
    return listen == null ? null : LogrotateListener.open(communicator, listen, secret, hooks);
  }

  /** A UDP address: {@code IPV4:PORT}, {@code [IPV6]:PORT} or {@code HOST:PORT}. */
  static final class UdpAddress implements ITypeConverter<SocketAddress> {
    @Override
    public SocketAddress convert(String value) {
      try {
        SocketAddress address = SocketAddress.resolve(value);
        if (address.family() == dev.herald.os.Socket.Family.UNIX) {
          throw new TypeConversionException(
              "'" + value + "' is not a UDP address: give HOST:PORT, e.g. 127.0.0.1:4988");
        }
        return address;
      } catch (UnknownHostException e) {
        throw new TypeConversionException("'" + value + "': unknown host");
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "': " + e.getMessage());
      }
    }
  }
}
