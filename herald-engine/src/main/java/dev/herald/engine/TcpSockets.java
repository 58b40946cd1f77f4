package dev.herald.engine;

import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.ZError;

/**
 * Creates and binds the engine's TCP sockets, turning bind failures into errors naming the port.
 */
final class TcpSockets {
  private TcpSockets() {}

  /**
   * Binds a new socket of {@code type} on {@code tcp://host:port}.
   *
   * @param role what the port is, for the error message ("publish port", ...)
   * @param options applied before the bind, so that every connection accepted on the port gets them
   *     (libzmq copies a socket's options into its listener at bind time)
   */
  static ZMQ.Socket bind(
      ZMQ.Context context,
      SocketType type,
      String host,
      int port,
      String role,
      Consumer<ZMQ.Socket> options) {
    String endpoint = "tcp://" + host + ":" + port;
    ZMQ.Socket socket = context.socket(type);
    // Shutdown must not wait for peers that stopped reading, unless the options say otherwise.
    socket.setLinger(0);
    try {
      options.accept(socket);
      if (!socket.bind(endpoint)) {
        throw bindFailure(role, endpoint, port, socket.errno(), null);
      }
      return socket;
    } catch (ZMQException e) {
      socket.close();
      throw bindFailure(role, endpoint, port, e.getErrorCode(), e);
    } catch (EngineException e) {
      socket.close();
      throw e;
    }
  }

  private static EngineException bindFailure(
      String role, String endpoint, int port, int errno, Throwable cause) {
    if (errno == ZError.EADDRINUSE) {
      return new EngineException(
          EngineException.Kind.PORT_IN_USE,
          "cannot bind the "
              + role
              + " "
              + port
              + " ("
              + endpoint
              + "): address already in use; stop the process holding it or choose another port",
          cause);
    }
    return new EngineException(
        EngineException.Kind.SOCKET,
        "cannot bind the "
            + role
            + " "
            + port
            + " ("
            + endpoint
            + "): "
            + ZError.toString(errno)
            + "; check the bind address and port",
        cause);
  }
}
