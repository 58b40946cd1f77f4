package dev.herald.communicator;

import dev.herald.os.Errno;
import dev.herald.os.OsException;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import dev.herald.os.SocketOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening stream socket in a communicator (upstream's {@code tcp_server_connection} and {@code
 * local_stream_server_connection}): TCP over IPv4 or IPv6, or a Unix socket bound to a path or an
 * abstract name. Each client it accepts is handed to its {@link Acceptor}, which composes what the
 * connection is (typically a {@link MessageConnection} over {@code Transport.of(client)}).
 *
 * <p>A Unix socket file is created by the listener and removed when it closes; a file left behind
 * by a listener that died (nobody accepts on it) is replaced, while a live one makes {@link
 * #listen} fail with {@code EADDRINUSE}. IP listeners set {@code SO_REUSEADDR}, so that a restarted
 * service binds its port again at once.
 *
 * <pre>{@code
 * StreamListener listener = StreamListener.listen(communicator, "service",
 *     SocketAddress.parse("127.0.0.1:0"),
 *     (l, client) -> MessageConnection.open(communicator, "client", Transport.of(client), dispatcher));
 * System.out.println("listening on " + listener.address());   // 127.0.0.1:40123
 * }</pre>
 */
public final class StreamListener {
  private static final Logger LOG = LoggerFactory.getLogger(StreamListener.class);

  /** The default accept queue, as the kernel caps it anyway ({@code net.core.somaxconn}). */
  public static final int DEFAULT_BACKLOG = 4096;

  /** Accepts per readable event and round, so that a flood of clients cannot hold the loop. */
  private static final int ACCEPTS_PER_ROUND = 64;

  /** How long accepting pauses when the process is out of descriptors. */
  private static final long PAUSE_MICROS = 100_000;

  /** What a listener does with each client it accepts. */
  @FunctionalInterface
  public interface Acceptor {
    /**
     * A client was accepted. The acceptor owns the socket from now on (if it throws, the socket is
     * closed and the exception leaves {@link Communicator#run()}).
     *
     * @param listener the listener
     * @param client the client's socket, non-blocking and close-on-exec
     */
    void accepted(StreamListener listener, Socket client);
  }

  private final Communicator communicator;
  private final Socket socket;
  private final SocketAddress address;
  private final Acceptor acceptor;
  private final Connection connection;

  private StreamListener(
      Communicator communicator,
      String name,
      Socket socket,
      SocketAddress address,
      Acceptor acceptor) {
    this.communicator = communicator;
    this.socket = socket;
    this.address = address;
    this.acceptor = acceptor;
    this.connection = Connection.of(name, socket, new Events());
  }

  /**
   * Listens on {@code address} with a backlog of {@link #DEFAULT_BACKLOG} and adds the listener to
   * {@code communicator}.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param address where to listen; port 0 picks a free port ({@link #address()} tells which)
   * @param acceptor what to do with each client
   * @return the listener
   * @throws CommunicatorException {@code LISTEN_FAILED} with the errno when the socket cannot be
   *     bound or listen (EADDRINUSE, EACCES, ...)
   */
  public static StreamListener listen(
      Communicator communicator, String name, SocketAddress address, Acceptor acceptor) {
    return listen(communicator, name, address, DEFAULT_BACKLOG, acceptor);
  }

  /**
   * Listens on {@code address} and adds the listener to {@code communicator}.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param address where to listen; port 0 picks a free port ({@link #address()} tells which)
   * @param backlog how many clients may wait to be accepted
   * @param acceptor what to do with each client
   * @return the listener
   * @throws CommunicatorException {@code LISTEN_FAILED} with the errno when the socket cannot be
   *     bound or listen (EADDRINUSE, EACCES, ...)
   */
  public static StreamListener listen(
      Communicator communicator,
      String name,
      SocketAddress address,
      int backlog,
      Acceptor acceptor) {
    Objects.requireNonNull(communicator, "communicator");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(acceptor, "acceptor");
    Socket socket;
    try {
      socket = Socket.stream(address.family(), Socket.NONBLOCK);
    } catch (OsException e) {
      throw listenFailed(name, address, e);
    }
    try {
      if (address instanceof SocketAddress.UnixPath unix) {
        UnixSocketFile.removeIfStale(unix, true);
      } else if (address.family() != Socket.Family.UNIX) {
        socket.set(SocketOption.REUSE_ADDRESS, true);
      }
      socket.bind(address);
      socket.listen(backlog);
      StreamListener listener =
          new StreamListener(communicator, name, socket, socket.localAddress(), acceptor);
      communicator.add(listener.connection);
      return listener;
    } catch (OsException e) {
      socket.close();
      throw listenFailed(name, address, e);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static CommunicatorException listenFailed(
      String name, SocketAddress address, OsException cause) {
    return new CommunicatorException(
        CommunicatorException.Kind.LISTEN_FAILED,
        cause.errno(),
        "listener \"" + name + "\" cannot listen on " + address + ": " + cause.getMessage(),
        cause);
  }

  /**
   * The address the listener is bound to, with the real port when port 0 was asked for.
   *
   * @return the address
   */
  public SocketAddress address() {
    return address;
  }

  /**
   * The listener in the loop: its name, priority and enabled flag.
   *
   * @return the connection
   */
  public Connection connection() {
    return connection;
  }

  /**
   * The communicator the listener was added to.
   *
   * @return the communicator
   */
  public Communicator communicator() {
    return communicator;
  }

  /**
   * Whether the listener still accepts.
   *
   * @return true until closed
   */
  public boolean isOpen() {
    return !socket.isClosed();
  }

  /**
   * Stops listening: the listener leaves its communicator, its socket is closed and its Unix socket
   * file, if any, removed. Connections already accepted are not affected. Closing again does
   * nothing.
   */
  public void close() {
    communicator.checkThread();
    if (!connection.remove()) {
      closeSocket();
    }
  }

  private void closeSocket() {
    if (socket.isClosed()) {
      return;
    }
    socket.close();
    if (address instanceof SocketAddress.UnixPath unix) {
      UnixSocketFile.delete(unix.path());
    }
  }

  private void accept() {
    for (int accepts = 0; accepts < ACCEPTS_PER_ROUND; accepts++) {
      Socket client;
      try {
        client = socket.accept();
      } catch (OsException e) {
        if (e.errno() == Errno.EMFILE || e.errno() == Errno.ENOMEM) {
          // Level-triggered: the waiting client would wake the loop at once, again and again.
          LOG.error(
              "listener \"{}\" on {} cannot accept: {}; accepting again in {} ms.",
              connection.name(),
              address,
              e.getMessage(),
              PAUSE_MICROS / 1_000);
          connection.setReading(false);
          connection.setTimeoutDate(TimeoutSchedule.wallMicros() + PAUSE_MICROS);
          return;
        }
        throw new CommunicatorException(
            CommunicatorException.Kind.IO_ERROR,
            e.errno(),
            "listener \"" + connection.name() + "\" on " + address + ": " + e.getMessage(),
            e);
      }
      if (client == null) {
        return;
      }
      try {
        acceptor.accepted(this, client);
      } catch (RuntimeException | Error e) {
        client.close();
        throw e;
      }
    }
  }

  @Override
  public String toString() {
    return "StreamListener(\"" + connection.name() + "\", " + address + ")";
  }

  /** The loop's callbacks, kept off the public API. */
  private final class Events implements ConnectionHandler {
    @Override
    public void readable(Connection c) {
      accept();
    }

    @Override
    public void timeout(Connection c) {
      c.setReading(true); // the pause after running out of descriptors is over
    }

    @Override
    public void removed(Connection c) {
      closeSocket();
    }
  }
}
