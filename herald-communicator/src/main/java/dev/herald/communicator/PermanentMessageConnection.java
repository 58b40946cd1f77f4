package dev.herald.communicator;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import dev.herald.dispatcher.MessageSender;
import dev.herald.dispatcher.MessageWriter;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message connection that keeps itself connected (upstream's {@code
 * tcp_client_permanent_message_connection} and {@code
 * local_stream_client_permanent_message_connection}, for TCP and Unix stream addresses alike): a
 * timer that makes connection attempts on the schedule of its {@link PauseDurations}, and, once an
 * attempt succeeds, a {@link MessageConnection} whose messages go to the dispatcher.
 *
 * <p>Attempts are non-blocking connects ({@link ConnectAttempt}), never a thread; the timer is
 * disabled while one runs. With several addresses, a failed attempt moves on to the next address
 * (round robin). After a successful connection the schedule restarts at its beginning; when the
 * connection is lost (error, hang-up), the timer is enabled again: the next attempt comes once the
 * delay armed by the last attempt has passed since that attempt (at once if it has already), then
 * on the schedule.
 *
 * <p>While it is down, a message sent with {@code cache=true} is kept, and the kept messages are
 * written in order right after the next connection; one sent with {@code cache=false} is dropped.
 * {@link #onConnected} runs on every (re)connection, the place to send {@code REGISTER}. {@link
 * #markDone()} ends it: no further attempt, the cache is cleared, an open connection closes once
 * its output is written.
 *
 * <p>Threads: {@link #sendMessage} works from any thread (from another one while the loop runs, the
 * message is serialised there and handed over through {@link Communicator#post}); the rest is for
 * the loop thread (or any one thread while the loop does not run).
 *
 * <pre>{@code
 * PermanentMessageConnection hub = PermanentMessageConnection.open(communicator, "hub",
 *     List.of(SocketAddress.parse("127.0.0.1:4040"), SocketAddress.parse("127.0.0.1:4041")),
 *     PauseDurations.parse("1,2,4,8,1m"), dispatcher);
 * dispatcher.setSender(hub);
 * hub.onConnected(c -> defaults.registerService("my_service"));  // on every (re)connection
 * hub.sendMessage(new Message().setCommand("STATUS"), true);      // kept until connected
 * }</pre>
 */
public final class PermanentMessageConnection implements MessageSender {
  private static final Logger LOG = LoggerFactory.getLogger(PermanentMessageConnection.class);

  private final Communicator communicator;
  private final String name;
  private final List<SocketAddress> addresses;
  private final PauseDurations pauses;
  private final Dispatcher dispatcher;
  private final TlsSettings tls;
  private final Connection timer;

  /** Lines sent with {@code cache=true} while down, serialised when sent. */
  private final ArrayDeque<byte[]> cache = new ArrayDeque<>();

  private int nextAddress;
  private ConnectAttempt attempt;
  private MessageConnection messenger;

  /** Whether {@link #messenger} is made: connected, and over TLS its handshake done. */
  private boolean established;

  private boolean done;
  private Consumer<PermanentMessageConnection> onConnected = c -> {};
  private BiConsumer<PermanentMessageConnection, CommunicatorException> onConnectionFailed =
      (c, failure) -> {};

  private PermanentMessageConnection(
      Communicator communicator,
      String name,
      List<SocketAddress> addresses,
      PauseDurations pauses,
      Dispatcher dispatcher,
      TlsSettings tls) {
    this.communicator = Objects.requireNonNull(communicator, "communicator");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.name = Objects.requireNonNull(name, "name");
    this.addresses = List.copyOf(addresses);
    if (this.addresses.isEmpty()) {
      throw new IllegalArgumentException(
          "permanent connection \"" + name + "\" needs at least one address to connect to");
    }
    this.pauses = Objects.requireNonNull(pauses, "pauses");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.timer = Connection.timer(name, new Events());
    double wait = pauses.initialWait();
    if (wait > 0) {
      timer.setTimeoutDelay(micros(wait));
    } else {
      timer.setTimeoutDate(TimeoutSchedule.wallMicros()); // the first round
    }
  }

  /**
   * Creates a permanent connection and adds its timer to {@code communicator}: the first attempt
   * comes at its next round, or after the initial wait of {@code pauses}.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param addresses where to connect, tried in turn (IPv4, IPv6, Unix paths, abstract names)
   * @param pauses the schedule of the attempts
   * @param dispatcher where received messages go
   * @return the connection
   * @throws IllegalArgumentException without addresses
   * @throws CommunicatorException {@code CLOSED} if the communicator is closed
   */
  public static PermanentMessageConnection open(
      Communicator communicator,
      String name,
      List<SocketAddress> addresses,
      PauseDurations pauses,
      Dispatcher dispatcher) {
    return open(communicator, name, addresses, pauses, dispatcher, TlsSettings.plain());
  }

  /**
   * Creates a permanent connection that speaks TLS (or not, as {@code tls} says) and adds its timer
   * to {@code communicator}. Every (re)connection makes a handshake, and counts as made once the
   * handshake is done: then {@link #onConnected} runs and the cached messages are written (messages
   * sent meanwhile are cached). A failed handshake is a failed attempt: {@link #onConnectionFailed}
   * runs, the cache is kept and the schedule goes on.
   *
   * <pre>{@code
   * PermanentMessageConnection hub = PermanentMessageConnection.open(communicator, "hub",
   *     List.of(SocketAddress.parse("127.0.0.1:4041")), PauseDurations.parse("1,2,4,8"),
   *     dispatcher, TlsSettings.builder(TlsMode.SECURE).build());
   * }</pre>
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param addresses where to connect, tried in turn
   * @param pauses the schedule of the attempts
   * @param dispatcher where received messages go
   * @param tls the client side's TLS settings; {@link TlsSettings#plain()} for none
   * @return the connection
   * @throws IllegalArgumentException without addresses
   * @throws CommunicatorException {@code CLOSED} if the communicator is closed
   */
  public static PermanentMessageConnection open(
      Communicator communicator,
      String name,
      List<SocketAddress> addresses,
      PauseDurations pauses,
      Dispatcher dispatcher,
      TlsSettings tls) {
    PermanentMessageConnection permanent =
        new PermanentMessageConnection(communicator, name, addresses, pauses, dispatcher, tls);
    communicator.add(permanent.timer);
    return permanent;
  }

  /**
   * Sets what runs on every (re)connection, before the cached messages are written: the place to
   * send {@code REGISTER}, which must reach the peer first.
   *
   * @param onConnected called on the loop thread with this connection
   */
  public void onConnected(Consumer<PermanentMessageConnection> onConnected) {
    this.onConnected = Objects.requireNonNull(onConnected, "onConnected");
  }

  /**
   * Sets what runs when an attempt fails (upstream's {@code process_connection_failed}); the next
   * attempt comes on the schedule anyway.
   *
   * @param onConnectionFailed called on the loop thread with this connection and the failure
   *     ({@code CONNECT_FAILED}, with the errno)
   */
  public void onConnectionFailed(
      BiConsumer<PermanentMessageConnection, CommunicatorException> onConnectionFailed) {
    this.onConnectionFailed = Objects.requireNonNull(onConnectionFailed, "onConnectionFailed");
  }

  /**
   * The timer that drives the attempts (its priority may be changed; its timeout is the
   * connection's own).
   *
   * @return the timer connection
   */
  public Connection connection() {
    return timer;
  }

  /**
   * The connection's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Whether it is connected now.
   *
   * @return true while a message connection is open (over TLS, once its handshake is done)
   */
  public boolean isConnected() {
    return messenger != null && established;
  }

  /**
   * The open message connection.
   *
   * @return the connection, or empty while down
   */
  public Optional<MessageConnection> messenger() {
    return Optional.ofNullable(messenger);
  }

  /**
   * How many messages are kept until the next connection.
   *
   * @return the count
   */
  public int cachedMessages() {
    return cache.size();
  }

  /**
   * Sends a message, or keeps it until the next connection.
   *
   * @param message the message
   * @param cache while down, keep it (true) or drop it (false)
   * @return true when written, kept for writing, or cached; false when dropped (down without {@code
   *     cache}, or marked done); from another thread while the loop runs, true when handed to the
   *     loop, false when the communicator is closed
   * @throws MessageException when the message cannot be written (no command)
   */
  @Override
  public boolean sendMessage(Message message, boolean cache) {
    if (communicator.isConfinedHere()) {
      if (isConnected()) {
        return messenger.sendMessage(message, false);
      }
      if (!cache || done) {
        LOG.debug("permanent connection \"{}\" is down: \"{}\" dropped.", name, message);
        return false;
      }
      MessageWriter writer =
          communicator.isLoopThread() ? communicator.buffers().writer : new MessageWriter();
      this.cache.add(line(writer, message));
      return true;
    }
    byte[] line = line(new MessageWriter(), message);
    try {
      communicator.post(() -> sendLine(line, cache));
      return true;
    } catch (CommunicatorException closed) {
      return false;
    }
  }

  private static byte[] line(MessageWriter writer, Message message) {
    writer.writeString(message).append('\n');
    return Arrays.copyOf(writer.buffer(), writer.length());
  }

  /** A line sent from another thread, on the loop thread. */
  private void sendLine(byte[] line, boolean cache) {
    if (isConnected()) {
      messenger.stream().write(line, 0, line.length);
    } else if (cache && !done) {
      this.cache.add(line);
    }
  }

  /**
   * Ends the permanent connection (upstream's {@code mark_done(true)}): no further attempt (one in
   * progress is cancelled), the cache is cleared, an open connection is closed once its output is
   * written, and the timer leaves the communicator.
   */
  public void markDone() {
    communicator.checkThread();
    done = true;
    cache.clear();
    if (attempt != null) {
      attempt.cancel();
      attempt = null;
    }
    if (messenger != null) {
      messenger.markDone();
    }
    timer.markDone();
  }

  /**
   * Whether {@link #markDone()} was called.
   *
   * @return the done flag
   */
  public boolean isDone() {
    return done;
  }

  /** The timer is due: the next attempt. */
  private void attempt() {
    if (done || messenger != null || attempt != null) {
      return;
    }
    double delay = pauses.nextDelay();
    if (delay > 0) {
      timer.setTimeoutDelay(micros(delay)); // the attempt after this one, anchored now
    }
    SocketAddress address = addresses.get(nextAddress);
    LOG.debug("permanent connection \"{}\": connecting to {}.", name, address);
    timer.setEnabled(false); // upstream disables the timer while its connect thread runs
    long delayMicros = timer.timeoutDelay();
    attempt = ConnectAttempt.start(communicator, name, address, delayMicros, new Outcome());
  }

  private void connected(Socket socket) {
    attempt = null;
    if (done) {
      socket.close();
      return;
    }
    MessageConnection opened;
    Transport transport;
    try {
      transport = tls.clientTransport(socket);
      opened = MessageConnection.open(communicator, name, transport, dispatcher);
    } catch (CommunicatorException e) {
      failed(e); // the socket is closed; the next attempt comes on the schedule
      return;
    }
    opened.onClosed(this::lost);
    messenger = opened;
    established = false;
    if (transport instanceof TlsTransport secure) {
      // Made once the handshake is done; told in the middle of a read, so the rest comes after.
      secure.onEstablished(() -> postEstablished(opened));
    } else {
      established(opened);
    }
  }

  private void postEstablished(MessageConnection opened) {
    try {
      communicator.post(() -> established(opened));
    } catch (CommunicatorException closed) {
      // the communicator is closing: nothing is made any more
    }
  }

  /** The connection is made: the schedule restarts, REGISTER and the cache go out. */
  private void established(MessageConnection opened) {
    if (messenger != opened || done) {
      return;
    }
    established = true;
    pauses.restart();
    LOG.info("permanent connection \"{}\": connected.", name);
    onConnected.accept(this);
    while (!cache.isEmpty() && messenger == opened) {
      byte[] line = cache.peek();
      if (!opened.stream().write(line, 0, line.length)) {
        break; // the connection failed under this line: it stays cached for the next one
      }
      cache.poll();
    }
  }

  private void failed(CommunicatorException failure) {
    attempt = null;
    if (done) {
      return;
    }
    LOG.info("permanent connection \"{}\": {}; trying again later.", name, failure.getMessage());
    nextAddress = (nextAddress + 1) % addresses.size();
    timer.setEnabled(true);
    onConnectionFailed.accept(this, failure);
  }

  private void lost(MessageConnection closed, CommunicatorException failure) {
    if (messenger != closed) {
      return;
    }
    messenger = null;
    boolean made = established;
    established = false;
    if (done) {
      return;
    }
    if (!made) { // the TLS handshake failed: an attempt that failed, not a lost connection
      failed(
          failure != null
              ? failure
              : new CommunicatorException(
                  CommunicatorException.Kind.TLS_FAILED,
                  "permanent connection \"" + name + "\": closed during the TLS handshake"));
      return;
    }
    LOG.info(
        "permanent connection \"{}\": connection lost ({}); reconnecting on its schedule.",
        name,
        failure == null ? "the peer closed it" : failure.getMessage());
    timer.setEnabled(true);
  }

  private static long micros(double seconds) {
    return Math.max(10, Math.round(seconds * 1_000_000));
  }

  @Override
  public String toString() {
    return "PermanentMessageConnection(\""
        + name
        + "\", "
        + addresses
        + (isConnected() ? ", connected" : messenger != null ? ", handshaking" : ", down")
        + ", "
        + cache.size()
        + " cached)";
  }

  /** The outcome of an attempt. */
  private final class Outcome implements ConnectAttempt.Handler {
    @Override
    public void connected(ConnectAttempt attempt, Socket socket) {
      PermanentMessageConnection.this.connected(socket);
    }

    @Override
    public void failed(ConnectAttempt attempt, CommunicatorException failure) {
      PermanentMessageConnection.this.failed(failure);
    }
  }

  /** The timer's callbacks, kept off the public API. */
  private final class Events implements ConnectionHandler {
    @Override
    public void timeout(Connection c) {
      attempt();
    }

    @Override
    public void removed(Connection c) {
      if (!done) {
        done = true; // removed from outside (the communicator closed): stop for good
        cache.clear();
        if (attempt != null) {
          attempt.cancel();
          attempt = null;
        }
      }
    }
  }
}
