package dev.herald.communicator;

import dev.herald.os.Errno;
import dev.herald.os.OsException;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.util.Objects;

/**
 * One attempt to connect a stream socket (TCP or Unix) without blocking the loop: a non-blocking
 * {@code connect}, then, when the socket becomes writable, {@code SO_ERROR} says how it ended. No
 * thread per attempt (upstream connects in a thread). The outcome reaches the {@link Handler} on
 * the loop thread, always in a later round, even when the kernel answers at once (a Unix socket, a
 * refused loopback port), so a caller never sees its handler run inside {@link #start}.
 *
 * <pre>{@code
 * ConnectAttempt.start(communicator, "hub", SocketAddress.parse("127.0.0.1:4040"), 5_000_000,
 *     new ConnectAttempt.Handler() {
 *       public void connected(ConnectAttempt attempt, Socket socket) {
 *         MessageConnection.open(communicator, "hub", Transport.of(socket), dispatcher);
 *       }
 *       public void failed(ConnectAttempt attempt, CommunicatorException failure) {
 *         log.warn(failure.getMessage());            // kind CONNECT_FAILED, errno ECONNREFUSED, ...
 *       }
 *     });
 * }</pre>
 */
public final class ConnectAttempt {
  /** What happens when the attempt ends. */
  public interface Handler {
    /**
     * The socket is connected; the handler owns it from now on.
     *
     * @param attempt the attempt
     * @param socket the connected socket, non-blocking
     */
    void connected(ConnectAttempt attempt, Socket socket);

    /**
     * The attempt failed or timed out; its socket is closed.
     *
     * @param attempt the attempt
     * @param failure {@code CONNECT_FAILED}, with the errno (ECONNREFUSED, ENOENT, ETIMEDOUT, ...)
     */
    void failed(ConnectAttempt attempt, CommunicatorException failure);
  }

  private enum State {
    PENDING,
    CONNECTED,
    FAILED,
    CANCELLED
  }

  private final String name;
  private final SocketAddress address;
  private final long timeoutMicros;
  private final Handler handler;
  private final Socket socket;
  private final Connection connection;

  /** A failure the kernel reported at once, delivered in the next round. */
  private final CommunicatorException earlyFailure;

  private State state = State.PENDING;

  private ConnectAttempt(String name, SocketAddress address, long timeoutMicros, Handler handler) {
    this.name = name;
    this.address = address;
    this.timeoutMicros = timeoutMicros;
    this.handler = handler;
    Socket opened = null;
    CommunicatorException early = null;
    try {
      opened = Socket.stream(address.family(), Socket.NONBLOCK);
      opened.connect(address); // connected now or in progress: writability tells either way
    } catch (OsException e) {
      if (opened != null) {
        opened.close();
        opened = null;
      }
      early = failure(e.errno(), e.getMessage(), e);
    }
    this.socket = opened;
    this.earlyFailure = early;
    if (opened == null) {
      this.connection = Connection.timer(name, 0, new Events());
    } else {
      this.connection = Connection.of(name, opened, new Events());
      connection.setReading(false);
      connection.setWriting(true);
      if (timeoutMicros != -1) {
        // A delay, on the monotonic clock: a wall-clock step must not stretch or cut the wait.
        // Its first tick ends the attempt; the shortest delay a timer takes is 10 µs.
        connection.setTimeoutDelay(Math.max(10, timeoutMicros));
      }
    }
  }

  /**
   * Starts connecting to {@code address}; the attempt joins {@code communicator}'s next round.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param address the peer: IPv4, IPv6, a Unix path or an abstract name
   * @param timeoutMicros how long the attempt may take, in µs, or -1 for as long as the kernel
   *     tries (minutes for TCP)
   * @param handler what to do when it ends
   * @return the attempt
   * @throws IllegalArgumentException for a timeout below -1 or 0
   */
  public static ConnectAttempt start(
      Communicator communicator,
      String name,
      SocketAddress address,
      long timeoutMicros,
      Handler handler) {
    Objects.requireNonNull(communicator, "communicator");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(handler, "handler");
    if (timeoutMicros < 1 && timeoutMicros != -1) {
      throw new IllegalArgumentException(
          "the connect timeout must be at least 1 µs, or -1 for none, not " + timeoutMicros);
    }
    ConnectAttempt attempt = new ConnectAttempt(name, address, timeoutMicros, handler);
    try {
      communicator.add(attempt.connection);
    } catch (RuntimeException e) {
      attempt.closeSocket();
      throw e;
    }
    return attempt;
  }

  /**
   * The address being connected to.
   *
   * @return the address
   */
  public SocketAddress address() {
    return address;
  }

  /**
   * Whether the attempt has not ended yet.
   *
   * @return true until connected, failed or cancelled
   */
  public boolean isPending() {
    return state == State.PENDING;
  }

  /** Gives up: the socket is closed and the handler is not called. Does nothing once ended. */
  public void cancel() {
    if (state == State.PENDING) {
      state = State.CANCELLED;
      connection.remove();
      closeSocket();
    }
  }

  private void finish() {
    boolean connected;
    try {
      connected = socket.finishConnect();
    } catch (OsException e) {
      fail(failure(e.errno(), e.getMessage(), e));
      return;
    }
    if (connected) {
      state = State.CONNECTED;
      connection.remove(); // the socket stays open: it is the handler's now
      handler.connected(this, socket);
    }
  }

  private void fail(CommunicatorException failure) {
    state = State.FAILED;
    connection.remove();
    closeSocket();
    handler.failed(this, failure);
  }

  private CommunicatorException failure(int errno, String what, Throwable cause) {
    return new CommunicatorException(
        CommunicatorException.Kind.CONNECT_FAILED,
        errno,
        "connection \"" + name + "\" to " + address + " failed: " + what,
        cause);
  }

  private void closeSocket() {
    if (socket != null) {
      socket.close();
    }
  }

  @Override
  public String toString() {
    return "ConnectAttempt(" + address + ", " + state + ")";
  }

  /** The loop's callbacks, kept off the public API. */
  private final class Events implements ConnectionHandler {
    @Override
    public void writable(Connection c) {
      finish();
    }

    @Override
    public void error(Connection c) {
      finish(); // SO_ERROR says what went wrong
    }

    @Override
    public void hangUp(Connection c) {
      finish();
    }

    @Override
    public void timeout(Connection c) {
      if (state != State.PENDING) {
        return;
      }
      if (earlyFailure != null) {
        fail(earlyFailure);
      } else {
        fail(
            failure(
                Errno.ETIMEDOUT,
                "no answer within " + timeoutMicros / 1_000 + " ms (timed out)",
                null));
      }
    }

    @Override
    public void removed(Connection c) {
      if (state == State.PENDING) {
        state = State.CANCELLED; // removed from outside (the communicator closed): nothing to tell
        closeSocket();
      }
    }
  }
}
