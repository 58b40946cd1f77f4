package dev.herald.communicator;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import dev.herald.dispatcher.MessageSender;
import dev.herald.dispatcher.MessageWriter;
import dev.herald.os.Errno;
import dev.herald.os.Fd;
import dev.herald.os.OsException;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import dev.herald.os.SocketAddressBuffer;
import dev.herald.os.SocketOption;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eventdispatcher messages over datagrams, one message per datagram in its string form without a
 * newline: upstream's {@code udp_server_message_connection}, {@code udp_client}, {@code
 * local_dgram_server_message_connection} and {@code local_dgram_client} as one class, whatever the
 * address family: UDP over IPv4 or IPv6, or Unix datagram sockets on a path or an abstract name.
 *
 * <p>Sizes are upstream's: a UDP datagram carries at most {@link #UDP_MAXIMUM_SIZE} bytes, a Unix
 * one {@link #UNIX_MAXIMUM_SIZE}, {@code secret_code} included. A larger message is refused before
 * anything is sent ({@code MESSAGE_TOO_LARGE}); a larger datagram received is dropped and counted
 * (upstream parses its first 1024 bytes).
 *
 * <p>Secret code, as upstream: a connection with an empty code dispatches every message, with a
 * warning for one that carries a {@code secret_code}; a connection with a code {@code s} dispatches
 * only the messages carrying {@code secret_code=s} and drops (and counts) the others. The parameter
 * is removed before dispatching. Outgoing messages carry the connection's code.
 *
 * <p>Every message dispatched has a {@link DatagramPeer} as its {@link Message#origin()}: the
 * sender's address. Datagrams that are no message, too large, or without the right code are logged,
 * counted ({@link #counters()}) and dropped; the connection and the loop go on.
 *
 * <p>Sends work from any thread. On the loop thread a datagram is sent at once; one the kernel
 * cannot take yet (a full Unix receiver) waits in the connection, up to 1024 datagrams, and is sent
 * when the socket is writable. From other threads the datagram is serialised there and handed to
 * the loop, in the order sent.
 *
 * <pre>{@code
 * // A server: one call per listener, UDP or Unix datagrams alike.
 * DatagramConnection udp = DatagramConnection.listen(communicator, "udp",
 *     SocketAddress.parse("127.0.0.1:4041"), dispatcher).setSecretCode("password1");
 * DatagramConnection local = DatagramConnection.listen(communicator, "unixgram",
 *     SocketAddress.parse("/run/my-service.sock"), dispatcher);
 *
 * // One message, from anywhere (no communicator needed): SO_BROADCAST is set for a broadcast or
 * // multicast destination.
 * DatagramConnection.send(SocketAddress.parse("127.0.0.1:4041"),
 *     new Message().setCommand("LOG_ROTATE"), "password1");
 * }</pre>
 */
public final class DatagramConnection implements MessageSender {
  private static final Logger LOG = LoggerFactory.getLogger(DatagramConnection.class);

  /** The most bytes of a UDP message datagram (upstream's {@code DATAGRAM_MAX_SIZE}). */
  public static final int UDP_MAXIMUM_SIZE = 1024;

  /** The most bytes of a Unix message datagram (upstream's 64 KiB). */
  public static final int UNIX_MAXIMUM_SIZE = 64 * 1024;

  /** The name of the parameter that carries the secret code. */
  public static final String SECRET_CODE = "secret_code";

  /** Datagrams read per readable event and round, so that a flood cannot hold the loop. */
  private static final int DATAGRAMS_PER_ROUND = 64;

  /** Datagrams kept while the kernel cannot take them; more are dropped. */
  private static final int MAXIMUM_WAITING = 1024;

  /** How much of a malformed datagram a log line shows. */
  private static final int LOGGED_BYTES = 200;

  /** Writers for sends from threads other than the loop's. */
  private static final ThreadLocal<MessageWriter> WRITERS =
      ThreadLocal.withInitial(MessageWriter::new);

  private final Communicator communicator;
  private final Socket socket;
  private final SocketAddress address;
  private final SocketAddress peer;
  private final Dispatcher dispatcher;
  private final int maximumSize;
  private final Connection connection;
  private final SocketAddressBuffer from = new SocketAddressBuffer();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private volatile String secretCode = "";
  private volatile boolean replying;

  private long received;
  private long dispatched;
  private long wrongSecretCode;
  private long malformed;
  private long tooLarge;
  private long sendFailures;

  /** A datagram the kernel could not take yet. */
  private record Waiting(byte[] datagram, SocketAddress to) {}

  private DatagramConnection(
      Communicator communicator,
      String name,
      Socket socket,
      SocketAddress peer,
      Dispatcher dispatcher) {
    this.communicator = communicator;
    this.socket = socket;
    this.address = socket.localAddress();
    this.peer = peer;
    this.dispatcher = dispatcher;
    this.maximumSize = maximumSize(socket.family());
    this.connection = Connection.of(name, socket, new Events());
  }

  /**
   * Binds a datagram server to {@code address} and adds it to {@code communicator} (upstream's
   * {@code udp_server_message_connection} and {@code local_dgram_server_message_connection}). A
   * Unix path is created as the socket file, replacing a stale one nobody is bound to, and removed
   * when the connection closes.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param address {@code IPV4:PORT}, {@code [IPV6]:PORT} (port 0 picks a free port, see {@link
   *     #address()}), a Unix path or an abstract name
   * @param dispatcher where the messages go
   * @return the connection
   * @throws CommunicatorException {@code LISTEN_FAILED} with the errno when the socket cannot be
   *     bound (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...)
   */
  public static DatagramConnection listen(
      Communicator communicator, String name, SocketAddress address, Dispatcher dispatcher) {
    Objects.requireNonNull(address, "address");
    Socket socket = openSocket(name, address, "listen on");
    try {
      if (address instanceof SocketAddress.UnixPath unix) {
        UnixSocketFile.removeIfStale(unix, false);
      }
      socket.bind(address);
    } catch (OsException e) {
      socket.close();
      throw failed(CommunicatorException.Kind.LISTEN_FAILED, name, "listen on", address, e);
    }
    return add(communicator, name, socket, null, dispatcher);
  }

  /**
   * Opens a datagram client of {@code peer} and adds it to {@code communicator}: {@link
   * #sendMessage(Message, boolean)} sends there, and replies that come back are dispatched. The
   * socket is bound to an ephemeral port (IP) or an abstract name the kernel picks (Unix), so that
   * the peer can answer; a Unix client is also connected, so that it waits for a full receiver
   * rather than spinning. For a broadcast or multicast peer, {@code SO_BROADCAST} is set.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param peer where messages go
   * @param dispatcher where replies go
   * @return the connection
   * @throws CommunicatorException {@code CONNECT_FAILED} with the errno when the socket cannot be
   *     set up (a Unix peer nobody is bound to: ECONNREFUSED or ENOENT)
   */
  public static DatagramConnection client(
      Communicator communicator, String name, SocketAddress peer, Dispatcher dispatcher) {
    Objects.requireNonNull(peer, "peer");
    Socket socket = openSocket(name, peer, "open a client of");
    try {
      socket.bind(wildcard(peer));
      if (peer.family() == Socket.Family.UNIX) {
        socket.connect(peer);
      } else if (needsBroadcast(peer)) {
        socket.set(SocketOption.BROADCAST, true);
      }
    } catch (OsException e) {
      socket.close();
      throw failed(CommunicatorException.Kind.CONNECT_FAILED, name, "open a client of", peer, e);
    }
    return add(communicator, name, socket, peer, dispatcher);
  }

  /**
   * Sends one message as one datagram from a socket opened for it (upstream's static {@code
   * send_message}): needs no communicator, blocks at most while a Unix receiver's queue is full.
   * {@code SO_BROADCAST} is set for a multicast destination, for {@code 255.255.255.255}, and for
   * any other address the kernel routes as a broadcast (a subnet's broadcast address), which it
   * refuses with EACCES first.
   *
   * @param to the destination
   * @param message the message; not changed
   * @param secretCode the receiver's secret code, appended as {@code secret_code}; empty for none
   * @throws CommunicatorException {@code MESSAGE_TOO_LARGE} when the message does not fit in one
   *     datagram ({@link #UDP_MAXIMUM_SIZE} or {@link #UNIX_MAXIMUM_SIZE} bytes); {@code
   *     SEND_FAILED} with the errno when the kernel refuses it (a Unix path nobody is bound to:
   *     ECONNREFUSED or ENOENT; ENETUNREACH, ...)
   * @throws MessageException when the message cannot be written (no command)
   */
  public static void send(SocketAddress to, Message message, String secretCode) {
    Objects.requireNonNull(to, "to");
    MessageWriter writer = WRITERS.get();
    int length = serialise(writer, message, secretCode, maximumSize(to.family()), "send", to);
    MemorySegment datagram = MemorySegment.ofArray(writer.buffer()).asSlice(0, length);
    try (Socket socket = Socket.datagram(to.family(), 0)) {
      if (needsBroadcast(to)) {
        socket.set(SocketOption.BROADCAST, true);
      }
      sendDatagram(socket, datagram, to);
    } catch (OsException e) {
      throw new CommunicatorException(
          CommunicatorException.Kind.SEND_FAILED,
          e.errno(),
          "cannot send message \""
              + message.command()
              + "\" to "
              + to
              + ": "
              + e.getMessage()
              + (e.errno() == Errno.EACCES
                  ? "; the kernel refused a broadcast destination."
                  : "; check that a server is bound there."),
          e);
    }
  }

  private static Socket openSocket(String name, SocketAddress address, String what) {
    try {
      return Socket.datagram(address.family(), Socket.NONBLOCK);
    } catch (OsException e) {
      throw failed(CommunicatorException.Kind.LISTEN_FAILED, name, what, address, e);
    }
  }

  private static DatagramConnection add(
      Communicator communicator,
      String name,
      Socket socket,
      SocketAddress peer,
      Dispatcher dispatcher) {
    try {
      Objects.requireNonNull(communicator, "communicator");
      Objects.requireNonNull(dispatcher, "dispatcher");
      DatagramConnection datagrams =
          new DatagramConnection(communicator, name, socket, peer, dispatcher);
      communicator.add(datagrams.connection);
      return datagrams;
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static CommunicatorException failed(
      CommunicatorException.Kind kind,
      String name,
      String what,
      SocketAddress address,
      OsException cause) {
    return new CommunicatorException(
        kind,
        cause.errno(),
        "datagram connection \""
            + name
            + "\" cannot "
            + what
            + " "
            + address
            + ": "
            + cause.getMessage(),
        cause);
  }

  /** The address a client binds to so that it can be answered. */
  private static SocketAddress wildcard(SocketAddress peer) {
    return switch (peer.family()) {
      case INET -> SocketAddress.Inet4.any(0);
      case INET6 -> SocketAddress.Inet6.any(0);
      case UNIX -> new SocketAddress.UnixUnnamed();
    };
  }

  /** Whether a destination is one upstream sets {@code SO_BROADCAST} for up front. */
  private static boolean needsBroadcast(SocketAddress to) {
    return to instanceof SocketAddress.Inet4 v4
        && ((v4.address() >>> 28) == 0xE || v4.address() == 0xFFFFFFFF);
  }

  /**
   * The most bytes of a message datagram on sockets of {@code family}.
   *
   * @param family the address family
   * @return {@link #UNIX_MAXIMUM_SIZE} for Unix sockets, else {@link #UDP_MAXIMUM_SIZE}
   */
  public static int maximumSize(Socket.Family family) {
    return family == Socket.Family.UNIX ? UNIX_MAXIMUM_SIZE : UDP_MAXIMUM_SIZE;
  }

  /**
   * Writes {@code message} with {@code secretCode} into {@code writer}.
   *
   * @return the length
   */
  private static int serialise(
      MessageWriter writer,
      Message message,
      String secretCode,
      int maximumSize,
      String what,
      SocketAddress to) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(secretCode, "secretCode");
    if (secretCode.isEmpty()) {
      writer.writeString(message);
    } else {
      // Added for the write only, so that the caller's message is left as it was.
      String previous = message.hasParameter(SECRET_CODE) ? message.parameter(SECRET_CODE) : null;
      message.addParameter(SECRET_CODE, secretCode);
      try {
        writer.writeString(message);
      } finally {
        if (previous == null) {
          message.removeParameter(SECRET_CODE);
        } else {
          message.addParameter(SECRET_CODE, previous);
        }
      }
    }
    int length = writer.length();
    if (length > maximumSize) {
      throw new CommunicatorException(
          CommunicatorException.Kind.MESSAGE_TOO_LARGE,
          "message too large ("
              + length
              + " bytes) for a "
              + (maximumSize == UNIX_MAXIMUM_SIZE ? "Unix datagram" : "UDP")
              + " server (max: "
              + maximumSize
              + " bytes); cannot "
              + what
              + " \""
              + message.command()
              + "\" to "
              + to
              + ": send it over a stream connection or make it shorter.");
    }
    return length;
  }

  /**
   * Sends a datagram; a destination the kernel routes as a broadcast gets {@code SO_BROADCAST} and
   * a second try.
   */
  private static long sendDatagram(Socket socket, MemorySegment datagram, SocketAddress to) {
    try {
      return socket.sendTo(datagram, 0, to);
    } catch (OsException e) {
      if (e.errno() != Errno.EACCES
          || to.family() != Socket.Family.INET
          || socket.get(SocketOption.BROADCAST)) {
        throw e;
      }
      socket.set(SocketOption.BROADCAST, true);
      return socket.sendTo(datagram, 0, to);
    }
  }

  /**
   * The connection in the loop: its name, priority and enabled flag.
   *
   * @return the connection
   */
  public Connection connection() {
    return connection;
  }

  /**
   * The connection's name.
   *
   * @return the name
   */
  public String name() {
    return connection.name();
  }

  /**
   * The address the socket is bound to: with the real port when port 0 was asked for, the abstract
   * name the kernel picked for a Unix client.
   *
   * @return the address
   */
  public SocketAddress address() {
    return address;
  }

  /**
   * Where {@link #sendMessage(Message, boolean)} sends.
   *
   * @return the peer of a client; empty for a server
   */
  public Optional<SocketAddress> peer() {
    return Optional.ofNullable(peer);
  }

  /**
   * The dispatcher the messages go to.
   *
   * @return the dispatcher
   */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * The most bytes a message datagram of this connection may have.
   *
   * @return {@link #UDP_MAXIMUM_SIZE} or {@link #UNIX_MAXIMUM_SIZE}
   */
  public int maximumSize() {
    return maximumSize;
  }

  /**
   * The secret code.
   *
   * @return the code, empty for none
   */
  public String secretCode() {
    return secretCode;
  }

  /**
   * Sets the secret code (upstream's {@code set_secret_code}): received messages must carry it as
   * {@code secret_code} to be dispatched, and sent messages carry it.
   *
   * @param secretCode the code, empty for none
   * @return this connection
   */
  public DatagramConnection setSecretCode(String secretCode) {
    this.secretCode = Objects.requireNonNull(secretCode, "secretCode");
    return this;
  }

  /**
   * Whether replies to received messages are sent back to their senders.
   *
   * @return false unless {@link #setReplying} turned them on
   */
  public boolean isReplying() {
    return replying;
  }

  /**
   * Lets the dispatcher's replies (through {@link DatagramPeer}) go back to each message's sender.
   * Off by default: upstream's datagram servers have no reply path, and a reply to an address
   * nobody checked can be turned against a third party.
   *
   * @param replying whether to reply
   * @return this connection
   */
  public DatagramConnection setReplying(boolean replying) {
    this.replying = replying;
    return this;
  }

  /**
   * Joins an IPv4 multicast group, so that this server also receives what is sent to the group on
   * its port (upstream's {@code udp_server} with a multicast address).
   *
   * @param group a multicast address (224.0.0.0/4)
   * @param interfaceIndex the interface ({@code NetworkInterface.getIndex()}), or 0 to let the
   *     routing table choose (the interface of the default route, if any)
   * @throws CommunicatorException {@code LISTEN_FAILED} with the errno: EINVAL for an address that
   *     is no group, ENODEV for no such interface or no route, EOPNOTSUPP on a Unix socket
   */
  public void joinMulticastGroup(Inet4Address group, int interfaceIndex) {
    try {
      socket.joinMulticastGroup(group, interfaceIndex);
    } catch (OsException e) {
      throw failed(
          CommunicatorException.Kind.LISTEN_FAILED,
          name(),
          "join multicast group " + group.getHostAddress() + " on",
          address,
          e);
    }
  }

  /**
   * Chooses the interface this connection sends IPv4 multicast datagrams through.
   *
   * @param interfaceIndex the interface, or 0 to let the routing table choose
   * @throws CommunicatorException {@code PARAMETER_ERROR} with the errno for no such interface
   *     (EADDRNOTAVAIL) or a Unix socket (EOPNOTSUPP)
   */
  public void setMulticastInterface(int interfaceIndex) {
    try {
      socket.setMulticastInterface(interfaceIndex);
    } catch (OsException e) {
      throw new CommunicatorException(
          CommunicatorException.Kind.PARAMETER_ERROR,
          e.errno(),
          "datagram connection \"" + name() + "\": " + e.getMessage(),
          e);
    }
  }

  /**
   * What the connection counted so far. Read it on the loop thread (or once the loop returned).
   *
   * @return a snapshot
   */
  public DatagramCounters counters() {
    return new DatagramCounters(
        received, dispatched, wrongSecretCode, malformed, tooLarge, sendFailures);
  }

  /**
   * Sends a message to the client's {@link #peer()}.
   *
   * @param message the message
   * @param cache ignored: datagrams are not cached
   * @return as {@link #sendMessage(Message, SocketAddress)}; false for a server, which has no peer
   * @throws CommunicatorException {@code MESSAGE_TOO_LARGE} when the message does not fit
   * @throws MessageException when the message cannot be written (no command)
   */
  @Override
  public boolean sendMessage(Message message, boolean cache) {
    if (peer == null) {
      LOG.warn(
          "datagram connection \"{}\" is a server without a peer: \"{}\" not sent; use"
              + " sendMessage(message, address).",
          name(),
          message.command());
      return false;
    }
    return sendMessage(message, peer);
  }

  /**
   * Sends a message as one datagram to {@code to}, with this connection's secret code.
   *
   * @param message the message
   * @param to the destination
   * @return on the loop thread, true when sent or kept for sending, false when the kernel refused
   *     it (logged and counted: a Unix path nobody is bound to, ...) or the connection is closed;
   *     from another thread, true when handed to the loop, false when the communicator is closed
   * @throws CommunicatorException {@code MESSAGE_TOO_LARGE} when the message does not fit
   * @throws MessageException when the message cannot be written (no command)
   */
  public boolean sendMessage(Message message, SocketAddress to) {
    Objects.requireNonNull(to, "to");
    if (communicator.isConfinedHere()) {
      MessageWriter writer = communicator.buffers().writer;
      int length = serialise(writer, message, secretCode, maximumSize, "send", to);
      return sendOrKeep(writer.buffer(), length, to, message);
    }
    MessageWriter writer = WRITERS.get();
    int length = serialise(writer, message, secretCode, maximumSize, "send", to);
    byte[] datagram = Arrays.copyOf(writer.buffer(), length);
    try {
      communicator.post(() -> sendOrKeep(datagram, datagram.length, to, message));
      return true;
    } catch (CommunicatorException closed) {
      return false;
    }
  }

  /** The reply path of {@link DatagramPeer}. */
  boolean reply(Message message, SocketAddress to) {
    if (!replying) {
      LOG.debug(
          "datagram connection \"{}\" does not reply: \"{}\" to {} dropped.",
          name(),
          message.command(),
          to);
      return false;
    }
    if (to instanceof SocketAddress.UnixUnnamed) {
      LOG.debug(
          "datagram connection \"{}\": the sender of the message answered by \"{}\" did not bind"
              + " its socket; the reply is dropped.",
          name(),
          message.command());
      return false;
    }
    return sendMessage(message, to);
  }

  /** Sends at once unless datagrams are waiting, else keeps it; on the loop thread. */
  private boolean sendOrKeep(byte[] datagram, int length, SocketAddress to, Message message) {
    if (socket.isClosed()) {
      LOG.debug("datagram connection \"{}\" closed: \"{}\" not sent.", name(), message.command());
      return false;
    }
    if (waiting.isEmpty()) {
      Boolean sent = trySend(MemorySegment.ofArray(datagram).asSlice(0, length), to);
      if (sent == null) {
        return false;
      }
      if (sent) {
        return true;
      }
    }
    if (waiting.size() >= MAXIMUM_WAITING) {
      sendFailures++;
      LOG.warn(
          "datagram connection \"{}\": {} datagrams wait for the socket already; \"{}\" to {}"
              + " dropped.",
          name(),
          waiting.size(),
          message.command(),
          to);
      return false;
    }
    waiting.add(new Waiting(Arrays.copyOf(datagram, length), to));
    connection.setWriting(true);
    return true;
  }

  /**
   * Sends one datagram.
   *
   * @return true when sent, false when the kernel cannot take it yet, null when it refused it
   *     (logged and counted)
   */
  private Boolean trySend(MemorySegment datagram, SocketAddress to) {
    try {
      return sendDatagram(socket, datagram, to) != Fd.WOULD_BLOCK;
    } catch (OsException e) {
      sendFailures++;
      LOG.warn(
          "datagram connection \"{}\" cannot send a datagram to {}: {}",
          name(),
          to,
          e.getMessage());
      return null;
    }
  }

  /** Sends what waits, in order, until the kernel cannot take more. */
  private void flush() {
    while (!waiting.isEmpty()) {
      Waiting next = waiting.peek();
      Boolean sent = trySend(MemorySegment.ofArray(next.datagram()), next.to());
      if (Boolean.FALSE.equals(sent)) {
        return;
      }
      waiting.poll();
    }
    connection.setWriting(false);
  }

  /** Reads datagrams until none is left or the round's share is used. */
  private void receive() {
    LoopBuffers buffers = communicator.buffers();
    MemorySegment into = buffers.readSegment.asSlice(0, maximumSize);
    for (int i = 0; i < DATAGRAMS_PER_ROUND && !socket.isClosed(); i++) {
      long n;
      try {
        n = socket.receiveFrom(into, Socket.MSG_TRUNC, from);
      } catch (OsException e) {
        // A pending error (an ICMP report for an earlier send): it is consumed by this read.
        LOG.warn("datagram connection \"{}\": {}", name(), e.getMessage());
        continue;
      }
      if (n == Fd.WOULD_BLOCK) {
        return;
      }
      received++;
      if (n > maximumSize) {
        tooLarge++;
        LOG.warn(
            "datagram connection \"{}\" dropped a datagram of {} bytes from {}: the maximum is {}"
                + " bytes.",
            name(),
            n,
            from.address(),
            maximumSize);
        continue;
      }
      handle(buffers, (int) n);
    }
  }

  private void handle(LoopBuffers buffers, int length) {
    Message message;
    try {
      message = buffers.parser.parse(buffers.read, 0, length);
    } catch (MessageException e) {
      malformed++;
      LOG.warn(
          "datagram connection \"{}\" dropped a datagram from {} that is not a message ({}{}): {}",
          name(),
          from.address(),
          new String(buffers.read, 0, Math.min(length, LOGGED_BYTES), StandardCharsets.UTF_8),
          length > LOGGED_BYTES ? "..." : "",
          e.getMessage());
      return;
    }
    String expected = secretCode;
    String carried = message.hasParameter(SECRET_CODE) ? message.parameter(SECRET_CODE) : null;
    if (!expected.isEmpty() && (carried == null || !sameCode(carried, expected))) {
      wrongSecretCode++;
      LOG.warn(
          "datagram connection \"{}\" dropped \"{}\" from {}: {} secret code.",
          name(),
          message.command(),
          from.address(),
          carried == null ? "no" : "a wrong");
      return;
    }
    if (carried != null) {
      if (expected.isEmpty()) {
        LOG.warn(
            "datagram connection \"{}\" expects no secret code, but \"{}\" from {} carries one;"
                + " dispatching it anyway.",
            name(),
            message.command(),
            from.address());
      }
      message.removeParameter(SECRET_CODE);
    }
    message.setOrigin(new DatagramPeer(this, from.address()));
    dispatched++;
    dispatcher.dispatchMessage(message);
  }

  /** Compares in constant time, so that the time taken tells nothing about the code. */
  private static boolean sameCode(String carried, String expected) {
    return MessageDigest.isEqual(
        carried.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether the connection is open.
   *
   * @return true until closed
   */
  public boolean isOpen() {
    return !socket.isClosed();
  }

  /**
   * Closes the connection now: it leaves its communicator, datagrams still waiting are dropped, its
   * socket is closed and its Unix socket file, if it bound one, removed. Closing again does
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
    if (!waiting.isEmpty()) {
      LOG.debug(
          "datagram connection \"{}\" closed with {} datagrams unsent.", name(), waiting.size());
      waiting.clear();
    }
    socket.close();
    if (peer == null && address instanceof SocketAddress.UnixPath unix) {
      UnixSocketFile.delete(unix.path());
    }
  }

  @Override
  public String toString() {
    return "DatagramConnection(\""
        + name()
        + "\", "
        + address
        + (peer == null ? "" : " to " + peer)
        + ")";
  }

  /** The loop's callbacks, kept off the public API. */
  private final class Events implements ConnectionHandler {
    @Override
    public void readable(Connection c) {
      receive();
    }

    @Override
    public void writable(Connection c) {
      flush();
    }

    @Override
    public void error(Connection c) {
      // A datagram socket's error is about one earlier datagram, not the socket: report it, go on.
      try {
        int errno = socket.get(SocketOption.ERROR);
        LOG.warn(
            "datagram connection \"{}\": the kernel reported {} for an earlier datagram.",
            name(),
            Errno.name(errno));
      } catch (OsException e) {
        LOG.warn("datagram connection \"{}\": {}", name(), e.getMessage());
      }
    }

    @Override
    public void removed(Connection c) {
      closeSocket();
    }
  }
}
