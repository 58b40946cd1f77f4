package dev.herald.communicator;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import dev.herald.dispatcher.MessageWriter;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A message connection for command-line tools and tests, used without an event loop (upstream's
 * {@code tcp_blocking_client_message_connection} and {@code
 * local_stream_blocking_client_message_connection}): connect to a TCP or Unix stream address, send
 * messages, wait for the messages that come back, each wait bounded by a timeout.
 *
 * <p>Underneath it is an ordinary {@link MessageConnection} in a communicator of its own, which
 * runs only while a call of this object waits, on the calling thread: the same non-blocking
 * connect, line framing (lines of up to {@link Framing#DEFAULT_MAXIMUM_LINE_LENGTH} bytes, {@code
 * "\n"} or {@code "\r\n"}), parsing and write buffering as every connection of a service. Messages
 * that arrive while no call waits for them are kept, in order, for the next {@link #receive}; a
 * line that is not a message is logged and skipped. Unlike a service's connections, its pending
 * output is not bounded: {@link #send} waits until the kernel took the message, so no more than the
 * message being sent is ever kept.
 *
 * <p>Every wait has a timeout (upstream's blocking connection without one fails at once, a known
 * bug it does not share). A wait that ends without its result throws a {@link
 * CommunicatorException}: {@code TIMED_OUT} when nothing came in time, {@code PEER_CLOSED} when the
 * peer closed the connection or it failed (the cause, if any, is attached), {@code CONNECT_FAILED}
 * when it cannot connect. One thread at a time.
 *
 * <pre>{@code
 * try (BlockingMessageConnection service = BlockingMessageConnection.connect(
 *     SocketAddress.parse("127.0.0.1:4040"), Duration.ofSeconds(5))) {
 *   Message reply = service.request(new Message().setCommand("ALIVE"), Duration.ofSeconds(5));
 *   reply.command();                                         // "ABSOLUTELY"
 * }
 * }</pre>
 */
public final class BlockingMessageConnection implements AutoCloseable {
  /** Longer timeouts are cut to this: as good as for ever, and no clock arithmetic overflows. */
  private static final Duration LONGEST = Duration.ofDays(365);

  private final Communicator communicator;
  private final SocketAddress address;
  private final MessageConnection connection;
  private final MessageWriter writer = new MessageWriter();
  private final ArrayDeque<Message> received = new ArrayDeque<>();
  private boolean open = true;
  private CommunicatorException failure;

  private BlockingMessageConnection(
      Communicator communicator, SocketAddress address, Socket socket) {
    this.communicator = communicator;
    this.address = address;
    Dispatcher queue = new Dispatcher(); // no entries: every message reaches the fallback
    queue.setFallback(received::add);
    this.connection =
        MessageConnection.open(communicator, "blocking " + address, Transport.of(socket), queue);
    // send() waits until its message is taken, so only that message is ever pending: no bound
    // beyond the memory the caller spent on it already.
    connection.stream().setMaximumPendingOutput(Integer.MAX_VALUE - 8);
    connection.onClosed(
        (c, why) -> {
          open = false;
          failure = why;
        });
  }

  /**
   * Connects to {@code address}.
   *
   * @param address a TCP (IPv4, IPv6) or Unix (path, abstract name) stream address
   * @param timeout how long connecting may take, at least 1 µs
   * @return the connection
   * @throws CommunicatorException {@code CONNECT_FAILED} with the errno (ECONNREFUSED, ENOENT,
   *     ETIMEDOUT when the timeout passed, ...)
   * @throws IllegalArgumentException for a timeout below 1 µs
   */
  public static BlockingMessageConnection connect(SocketAddress address, Duration timeout) {
    Objects.requireNonNull(address, "address");
    long micros = micros(timeout);
    Communicator communicator = new Communicator();
    try {
      Socket[] connected = new Socket[1];
      CommunicatorException[] failed = new CommunicatorException[1];
      ConnectAttempt.start(
          communicator,
          "blocking " + address,
          address,
          micros,
          new ConnectAttempt.Handler() {
            @Override
            public void connected(ConnectAttempt attempt, Socket socket) {
              connected[0] = socket;
            }

            @Override
            public void failed(ConnectAttempt attempt, CommunicatorException failure) {
              failed[0] = failure;
            }
          });
      communicator.runUntil(() -> connected[0] != null || failed[0] != null);
      if (failed[0] != null) {
        throw failed[0];
      }
      return new BlockingMessageConnection(communicator, address, connected[0]);
    } catch (RuntimeException | Error e) {
      communicator.close();
      throw e;
    }
  }

  /**
   * The address this connection is connected to.
   *
   * @return the address
   */
  public SocketAddress address() {
    return address;
  }

  /**
   * Whether the connection is open: not closed by {@link #close()}, by the peer or by a failure.
   * Messages received before the end can still be taken with {@link #receive}.
   *
   * @return true while open
   */
  public boolean isOpen() {
    return open;
  }

  /**
   * Sends a message and waits until the kernel took all of it.
   *
   * @param message the message, written as a line in the string form
   * @param timeout how long the peer may take to make room, at least 1 µs
   * @throws CommunicatorException {@code TIMED_OUT} when the peer does not read (part of the
   *     message may have gone), {@code PEER_CLOSED} when the connection is closed
   * @throws MessageException when the message cannot be written (no command)
   */
  public void send(Message message, Duration timeout) {
    long micros = micros(timeout);
    writer.writeString(message).append('\n');
    if (!open || !connection.stream().write(writer.buffer(), 0, writer.length())) {
      throw closed("send \"" + message.command() + "\"");
    }
    if (!await(() -> connection.stream().pendingOutput() == 0 || !open, micros)) {
      throw timedOut("the peer took only part of \"" + message.command() + "\"", micros);
    }
    if (!open) {
      throw closed("send \"" + message.command() + "\"");
    }
  }

  /**
   * Takes the next message the peer sent, waiting for it if none is there yet.
   *
   * @param timeout how long to wait, at least 1 µs
   * @return the message; its {@link Message#origin()} is the connection underneath
   * @throws CommunicatorException {@code TIMED_OUT} when none came in time, {@code PEER_CLOSED}
   *     when the connection closed and every message that came before is taken
   */
  public Message receive(Duration timeout) {
    long micros = micros(timeout);
    return receive(micros, micros);
  }

  /** Waits {@code micros} for a message; a timeout is reported as {@code reportedMicros}. */
  private Message receive(long micros, long reportedMicros) {
    if (received.isEmpty() && open) {
      await(() -> !received.isEmpty() || !open, micros);
    }
    Message message = received.poll();
    if (message != null) {
      return message;
    }
    if (!open) {
      throw closed("receive a message");
    }
    throw timedOut("no message came", reportedMicros);
  }

  /**
   * Sends a message and takes the first message that comes back (upstream's tools send one command
   * and read one reply): {@link #send} then {@link #receive}, within one timeout.
   *
   * @param message the message
   * @param timeout how long sending and the reply may take together, at least 1 µs
   * @return the reply
   * @throws CommunicatorException {@code TIMED_OUT} or {@code PEER_CLOSED}, as those two
   * @throws MessageException when the message cannot be written (no command)
   */
  public Message request(Message message, Duration timeout) {
    long micros = micros(timeout);
    long deadline = System.nanoTime() + micros * 1_000;
    send(message, timeout);
    return receive(Math.max(1, (deadline - System.nanoTime()) / 1_000), micros);
  }

  /**
   * Closes the connection now (output not taken yet is dropped) and its communicator. Closing again
   * does nothing.
   */
  @Override
  public void close() {
    open = false;
    communicator.close();
  }

  /**
   * Runs the communicator until {@code done} holds or {@code micros} passed.
   *
   * @return whether {@code done} holds
   */
  private boolean await(BooleanSupplier done, long micros) {
    boolean[] expired = new boolean[1];
    Connection deadline =
        Connection.timer(
            "deadline", Math.max(10, micros), ConnectionHandler.onTimeout(c -> expired[0] = true));
    communicator.add(deadline);
    try {
      communicator.runUntil(() -> done.getAsBoolean() || expired[0]);
    } finally {
      deadline.remove();
    }
    return done.getAsBoolean();
  }

  private CommunicatorException closed(String what) {
    String why =
        failure == null
            ? "the peer closed the connection"
            : "the connection failed: " + failure.getMessage();
    return new CommunicatorException(
        CommunicatorException.Kind.PEER_CLOSED,
        failure == null ? 0 : failure.errno(),
        "cannot " + what + " on the connection to " + address + ": " + why + ".",
        failure);
  }

  private CommunicatorException timedOut(String what, long micros) {
    return new CommunicatorException(
        CommunicatorException.Kind.TIMED_OUT,
        0,
        "connection to "
            + address
            + ": "
            + what
            + " within "
            + Duration.ofNanos(micros * 1_000).toMillis()
            + " ms (timed out); is the peer alive and answering?",
        null);
  }

  private static long micros(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(Duration.ofNanos(1_000)) < 0) {
      throw new IllegalArgumentException("a timeout must be at least 1 µs, not " + timeout);
    }
    return timeout.compareTo(LONGEST) > 0 ? LONGEST.toNanos() / 1_000 : timeout.toNanos() / 1_000;
  }

  @Override
  public String toString() {
    return "BlockingMessageConnection("
        + address
        + (open ? "" : ", closed")
        + ", "
        + received.size()
        + " received)";
  }
}
