package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.os.Errno;
import dev.herald.os.Signals;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Message datagrams over real UDP (IPv4, IPv6) and Unix datagram sockets on loopback. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramConnectionTest {
  private final Loop loop = new Loop();
  private final Dispatcher dispatcher = new Dispatcher();
  private final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();

  @TempDir Path directory;

  DatagramConnectionTest() {
    dispatcher.addMatch(DispatcherMatch.catchAll(messages::add));
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private DatagramConnection listen(String address) {
    return loop.call(
        () ->
            DatagramConnection.listen(
                loop.communicator, "server", SocketAddress.parse(address), dispatcher));
  }

  private Message next() throws InterruptedException {
    Message message = messages.poll(10, TimeUnit.SECONDS);
    assertNotNull(message, "no message within 10 s");
    return message;
  }

  private DatagramCounters counters(DatagramConnection connection) {
    return loop.call(connection::counters);
  }

  private static String abstractName(String what) {
    return "@herald-test-" + what + "-" + Signals.processId() + "-" + System.nanoTime();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:0", "[::1]:0"})
  void udpServerDispatchesEachDatagramWithItsSender(String at) throws Exception {
    loop.start();
    DatagramConnection server = listen(at);
    SocketAddress serverAt = server.address();
    try (DatagramChannel sender =
        DatagramChannel.open(
            serverAt.family() == Socket.Family.INET
                ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6)) {
      sender.bind(null);
      InetSocketAddress to = inet(serverAt);
      sender.send(ascii("<client:tool snap:cluckd/PING serial=7"), to);
      sender.send(ascii("STOP"), to);

      Message ping = next();
      assertEquals("PING", ping.command());
      assertEquals("cluckd", ping.service());
      assertEquals("7", ping.parameter("serial"));
      DatagramPeer peer = assertInstanceOf(DatagramPeer.class, ping.origin());
      assertEquals(server, peer.connection());
      int senderPort = ((InetSocketAddress) sender.getLocalAddress()).getPort();
      assertEquals(senderPort, port(peer.address()));
      assertEquals("STOP", next().command());
      assertEquals(new DatagramCounters(2, 2, 0, 0, 0, 0), counters(server));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:0", "[::1]:0", "@", "path"})
  void clientAndServerExchangeMessagesWhenTheServerReplies(String kind) throws Exception {
    String at =
        switch (kind) {
          case "@" -> abstractName("exchange");
          case "path" -> directory.resolve("exchange.sock").toString();
          default -> kind;
        };
    Dispatcher serverSide = new Dispatcher();
    List<Boolean> replied = new java.util.concurrent.CopyOnWriteArrayList<>();
    serverSide.addMatch(
        DispatcherMatch.command(
            "HELLO", m -> replied.add(serverSide.reply(m, new Message().setCommand("HI")))));
    loop.start();
    DatagramConnection server =
        loop.call(
            () ->
                DatagramConnection.listen(
                        loop.communicator, "server", SocketAddress.parse(at), serverSide)
                    .setReplying(true));
    DatagramConnection client =
        loop.call(
            () ->
                DatagramConnection.client(
                    loop.communicator, "client", server.address(), dispatcher));
    assertEquals(server.address(), client.peer().orElseThrow());

    assertTrue(client.sendMessage(new Message().setCommand("HELLO"))); // from this thread
    Message hi = next();
    assertEquals("HI", hi.command());
    assertEquals(server.address(), ((DatagramPeer) hi.origin()).address());
    assertEquals(List.of(true), replied);

    // Replies off: the dispatcher's reply is dropped, and says so.
    loop.run(() -> server.setReplying(false));
    loop.run(() -> client.sendMessage(new Message().setCommand("HELLO"))); // from the loop
    loop.sync();
    loop.sync();
    assertEquals(List.of(true, false), replied);
    assertEquals(new DatagramCounters(2, 2, 0, 0, 0, 0), counters(server));
    assertFalse(server.sendMessage(new Message().setCommand("HI"))); // a server has no peer

    if (kind.equals("path")) {
      Path file = directory.resolve("exchange.sock");
      assertTrue(Files.exists(file));
      loop.run(server::close);
      assertFalse(Files.exists(file), "the socket file is removed with its server");
      assertFalse(server.isOpen());
    }
  }

  @Test
  void secretCodeLetsTheRightMessagesThroughAndCountsTheOthers() throws Exception {
    loop.start();
    DatagramConnection server = listen("127.0.0.1:0");
    loop.run(() -> server.setSecretCode("password1"));
    SocketAddress to = server.address();
    Message stop = new Message().setCommand("STOP").addParameter("why", "test");
    DatagramConnection.send(to, stop, "wrong");
    DatagramConnection.send(to, stop, ""); // none
    DatagramConnection.send(to, stop, "password1");
    assertFalse(stop.hasParameter(DatagramConnection.SECRET_CODE), "the caller's message is kept");

    Message got = next();
    assertEquals("STOP", got.command());
    assertEquals("test", got.parameter("why"));
    assertFalse(got.hasParameter(DatagramConnection.SECRET_CODE), "removed before dispatch");
    assertEquals(new DatagramCounters(3, 1, 2, 0, 0, 0), counters(server));

    // Without a code of its own, a server dispatches a message that carries one (with a warning).
    loop.run(() -> server.setSecretCode(""));
    DatagramConnection.send(to, new Message().setCommand("LOG_ROTATE"), "unexpected");
    assertEquals("LOG_ROTATE", next().command());
    assertEquals(new DatagramCounters(4, 2, 2, 0, 0, 0), counters(server));
  }

  @Test
  void aClientSendsItsSecretCodeAndKeepsACodeTheCallerSet() throws Exception {
    loop.start();
    DatagramConnection server = listen("127.0.0.1:0");
    loop.run(() -> server.setSecretCode("s3"));
    DatagramConnection client =
        loop.call(
            () ->
                DatagramConnection.client(
                        loop.communicator, "client", server.address(), new Dispatcher())
                    .setSecretCode("s3"));
    Message message = new Message().setCommand("PING").addParameter("secret_code", "mine");
    loop.run(() -> client.sendMessage(message));
    assertEquals("PING", next().command());
    assertEquals("mine", message.parameter("secret_code"));
  }

  @Test
  void malformedAndOversizedDatagramsAreCountedAndTheLoopGoesOn() throws Exception {
    loop.start();
    DatagramConnection server = listen("127.0.0.1:0");
    try (DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
      InetSocketAddress to = inet(server.address());
      sender.send(ByteBuffer.allocate(0), to);
      sender.send(ascii("   "), to);
      sender.send(ascii("/PING"), to);
      sender.send(ascii("a:b:PING"), to);
      sender.send(ascii("<server:service"), to);
      sender.send(ascii("BIG text=" + "x".repeat(2000)), to);
      sender.send(ascii("AFTER\n"), to); // a trailing newline is trimmed, as on streams
      assertEquals("AFTER", next().command());
    }
    DatagramCounters counted = counters(server);
    assertEquals(7, counted.received());
    assertEquals(1, counted.dispatched());
    assertEquals(1, counted.tooLarge());
    assertEquals(5, counted.malformed());
    assertTrue(loop.call(() -> loop.communicator.connections().contains(server.connection())));
  }

  @Test
  void oversizeMessagesAreRefusedBeforeSending() throws Exception {
    loop.start();
    DatagramConnection udp = listen("127.0.0.1:0");
    // "TEXT t=" is 7 bytes: 1017 more make exactly 1024.
    DatagramConnection.send(udp.address(), text(1017), "");
    assertEquals(1024, next().parameter("t").length() + 7);
    CommunicatorException tooLarge =
        assertThrows(
            CommunicatorException.class,
            () -> DatagramConnection.send(udp.address(), text(1018), ""));
    assertEquals(CommunicatorException.Kind.MESSAGE_TOO_LARGE, tooLarge.kind());
    assertTrue(
        tooLarge
            .getMessage()
            .startsWith("message too large (1025 bytes) for a UDP server (max: 1024 bytes)"),
        tooLarge.getMessage());
    // The secret code counts: 1010 bytes of text plus " secret_code=..." no longer fit.
    assertThrows(
        CommunicatorException.class,
        () -> DatagramConnection.send(udp.address(), text(1010), "password1"));
    CommunicatorException fromConnection =
        assertThrows(
            CommunicatorException.class,
            () -> loop.call(() -> udp.sendMessage(text(2000), udp.address())));
    assertEquals(CommunicatorException.Kind.MESSAGE_TOO_LARGE, fromConnection.kind());

    DatagramConnection unix = listen(abstractName("big"));
    DatagramConnection.send(unix.address(), text(65536 - 7), "");
    assertEquals(65536 - 7, next().parameter("t").length());
    CommunicatorException unixTooLarge =
        assertThrows(
            CommunicatorException.class,
            () -> DatagramConnection.send(unix.address(), text(65536 - 6), ""));
    assertTrue(
        unixTooLarge
            .getMessage()
            .startsWith(
                "message too large (65537 bytes) for a Unix datagram server (max: 65536 bytes)"),
        unixTooLarge.getMessage());
    assertEquals(new DatagramCounters(1, 1, 0, 0, 0, 0), counters(unix));
  }

  @Test
  void unixServerOnAPathReplacesAStaleFileAndRefusesALiveOne() throws Exception {
    Path file = directory.resolve("stale.sock");
    SocketAddress at = SocketAddress.unix(file.toString());
    try (Socket dead = Socket.datagram(Socket.Family.UNIX, 0)) {
      dead.bind(at); // closed without removing its file, as a crashed server leaves it
    }
    assertTrue(Files.exists(file));
    loop.start();
    DatagramConnection server = listen(file.toString());
    CommunicatorException live =
        assertThrows(CommunicatorException.class, () -> listen(file.toString()));
    assertEquals(CommunicatorException.Kind.LISTEN_FAILED, live.kind());
    assertEquals(Errno.EADDRINUSE, live.errno());
    assertTrue(live.getMessage().contains(file.toString()), live.getMessage());

    // A sender that did not bind reaches the server too; it just cannot be answered.
    try (Socket anonymous = Socket.datagram(Socket.Family.UNIX, 0)) {
      anonymous.sendTo(MemorySegment.ofArray("QUIT".getBytes(StandardCharsets.US_ASCII)), 0, at);
    }
    Message quit = next();
    assertEquals(new SocketAddress.UnixUnnamed(), ((DatagramPeer) quit.origin()).address());
    assertTrue(server.isOpen());
  }

  @Test
  void sendingToAUnixNameNobodyServesFailsWithTheAddress() {
    SocketAddress nobody = SocketAddress.parse(abstractName("nobody"));
    CommunicatorException e =
        assertThrows(
            CommunicatorException.class,
            () -> DatagramConnection.send(nobody, new Message().setCommand("PING"), ""));
    assertEquals(CommunicatorException.Kind.SEND_FAILED, e.kind());
    assertEquals(Errno.ECONNREFUSED, e.errno());
    assertTrue(e.getMessage().contains(nobody.toString()), e.getMessage());
    CommunicatorException client =
        assertThrows(
            CommunicatorException.class,
            () -> DatagramConnection.client(loop.communicator, "c", nobody, dispatcher));
    assertEquals(CommunicatorException.Kind.CONNECT_FAILED, client.kind());
  }

  @Test
  void broadcastToTheLoopbackBroadcastAddressSetsTheFlag() throws Exception {
    loop.start();
    DatagramConnection server = listen("0.0.0.0:0");
    // 127.255.255.255 is routed as a broadcast on lo: the kernel refuses it (EACCES) without
    // SO_BROADCAST, which send() then sets.
    SocketAddress broadcast = new SocketAddress.Inet4(0x7FFFFFFF, port(server.address()));
    DatagramConnection.send(broadcast, new Message().setCommand("EVERYONE"), "");
    assertEquals("EVERYONE", next().command());

    DatagramConnection client =
        loop.call(
            () -> DatagramConnection.client(loop.communicator, "client", broadcast, dispatcher));
    assertTrue(loop.call(() -> client.sendMessage(new Message().setCommand("AGAIN"))));
    assertEquals("AGAIN", next().command());
    assertEquals(0, counters(client).sendFailures());
  }

  @Test
  void multicastGroupJoinedOnLoopback() throws Exception {
    int lo = NetworkInterface.getByName("lo").getIndex();
    Inet4Address group = (Inet4Address) InetAddress.ofLiteral("239.255.42.102");
    loop.start();
    DatagramConnection server = listen("0.0.0.0:0");
    loop.run(() -> server.joinMulticastGroup(group, lo));
    SocketAddress to = SocketAddress.parse("239.255.42.102:" + port(server.address()));
    DatagramConnection client =
        loop.call(() -> DatagramConnection.client(loop.communicator, "client", to, dispatcher));
    loop.run(() -> client.setMulticastInterface(lo));
    loop.run(() -> client.sendMessage(new Message().setCommand("GROUP")));
    Message got = next();
    assertEquals("GROUP", got.command());
    assertEquals(server, ((DatagramPeer) got.origin()).connection());

    CommunicatorException notAGroup =
        assertThrows(
            CommunicatorException.class,
            () ->
                loop.run(
                    () ->
                        server.joinMulticastGroup(
                            (Inet4Address) InetAddress.ofLiteral("10.1.2.3"), lo)));
    assertEquals(Errno.EINVAL, notAGroup.errno());
  }

  @Test
  void staticSendToAMulticastGroupFollowsTheDefaultRoute() throws Exception {
    // Without a chosen interface, a multicast datagram leaves through the default route's
    // interface; the kernel loops it back to members that joined there (interface 0).
    Assumptions.assumeTrue(hasDefaultRoute(), "no IPv4 default route on this host");
    Inet4Address group = (Inet4Address) InetAddress.ofLiteral("239.255.42.103");
    loop.start();
    DatagramConnection server = listen("0.0.0.0:0");
    loop.run(() -> server.joinMulticastGroup(group, 0));
    DatagramConnection.send(
        SocketAddress.parse("239.255.42.103:" + port(server.address())),
        new Message().setCommand("ROUTED"),
        "");
    assertEquals("ROUTED", next().command());
  }

  @Test
  void aUdpBurstIsDispatchedInOrderWithoutLoss() throws Exception {
    AtomicLong seen = new AtomicLong();
    Dispatcher counting = new Dispatcher();
    List<Long> outOfOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    counting.addMatch(
        DispatcherMatch.command(
            "N",
            m -> {
              long n = m.integerParameter("n");
              if (n != seen.get()) {
                outOfOrder.add(n);
              }
              seen.incrementAndGet();
            }));
    loop.start();
    DatagramConnection server =
        loop.call(
            () ->
                DatagramConnection.listen(
                    loop.communicator, "burst", SocketAddress.parse("127.0.0.1:0"), counting));
    int total = 20_000;
    try (DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
      InetSocketAddress to = inet(server.address());
      for (int n = 0; n < total; n++) {
        // UDP has no back-pressure: keep at most 100 in flight, below the receive buffer.
        while (n - seen.get() >= 100) {
          Thread.onSpinWait();
        }
        sender.send(ascii("N n=" + n), to);
      }
    }
    while (seen.get() < total) {
      Thread.sleep(1);
    }
    assertEquals(List.of(), outOfOrder);
    assertEquals(new DatagramCounters(total, total, 0, 0, 0, 0), counters(server));
  }

  @Test
  void aUnixBurstWaitsForTheReceiverInsteadOfDropping() throws Exception {
    loop.start();
    DatagramConnection server = listen(abstractName("burst"));
    DatagramConnection client =
        loop.call(
            () ->
                DatagramConnection.client(
                    loop.communicator, "client", server.address(), new Dispatcher()));
    int total = 1000; // the receiver's queue holds 10 (net.unix.max_dgram_qlen): most must wait
    loop.run(
        () -> {
          for (int n = 0; n < total; n++) {
            assertTrue(client.sendMessage(new Message().setCommand("N").addParameter("n", n)));
          }
        });
    for (int n = 0; n < total; n++) {
      assertEquals(n, next().integerParameter("n"));
    }
    assertEquals(0, counters(client).sendFailures());
    assertEquals(total, counters(server).dispatched());
  }

  private static Message text(int length) {
    return new Message().setCommand("TEXT").addParameter("t", "y".repeat(length));
  }

  private static boolean hasDefaultRoute() throws IOException {
    Path routes = Path.of("/proc/net/route");
    return Files.exists(routes)
        && Files.readAllLines(routes).stream()
            .skip(1)
            .map(line -> line.trim().split("\\s+"))
            .anyMatch(fields -> fields.length > 1 && fields[1].equals("00000000"));
  }

  private static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static int port(SocketAddress address) {
    return switch (address) {
      case SocketAddress.Inet4 v4 -> v4.port();
      case SocketAddress.Inet6 v6 -> v6.port();
      default -> throw new AssertionError(address);
    };
  }

  private static InetSocketAddress inet(SocketAddress address) {
    return switch (address) {
      case SocketAddress.Inet4 v4 -> new InetSocketAddress(v4.toInetAddress(), v4.port());
      case SocketAddress.Inet6 v6 -> new InetSocketAddress(v6.toInetAddress(), v6.port());
      default -> throw new AssertionError(address);
    };
  }
}
