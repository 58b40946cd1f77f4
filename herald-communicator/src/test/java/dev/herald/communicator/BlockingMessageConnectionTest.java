package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.Errno;
import dev.herald.os.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocking connection against a real listener of a communicator running on its own thread. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingMessageConnectionTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Loop loop = new Loop();
  private final Dispatcher dispatcher = new Dispatcher();

  BlockingMessageConnectionTest() {
    DefaultCommands.install(dispatcher, new ServiceHooks() {});
    dispatcher.addMatch(DispatcherMatch.command("SILENT", m -> {}));
    dispatcher.addMatch(
        DispatcherMatch.command(
            "TWICE",
            m -> {
              dispatcher.reply(m, new Message().setCommand("FIRST"));
              dispatcher.reply(m, new Message().setCommand("SECOND"));
            }));
    dispatcher.addMatch(
        DispatcherMatch.command(
            "BYE",
            m -> {
              MessageConnection from = (MessageConnection) m.origin();
              byte[] junk = "this is ; not a message\n".getBytes(StandardCharsets.UTF_8);
              from.stream().write(junk, 0, junk.length); // skipped by the client
              dispatcher.reply(m, new Message().setCommand("GOODBYE"));
              from.markDone();
            }));
    loop.start();
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private SocketAddress listen(String address) {
    return loop.call(
        () ->
            StreamListener.listen(
                    loop.communicator,
                    "service",
                    SocketAddress.parse(address),
                    (l, client) ->
                        MessageConnection.open(
                            loop.communicator, "client", Transport.of(client), dispatcher))
                .address());
  }

  @Test
  void requestsGetTheirRepliesOverTcpAndUnixSockets() {
    for (String where :
        new String[] {"127.0.0.1:0", "@herald-blocking-" + ProcessHandle.current().pid()}) {
      try (BlockingMessageConnection service =
          BlockingMessageConnection.connect(listen(where), WAIT)) {
        Message alive =
            service.request(new Message().setCommand("ALIVE").addParameter("serial", 7), WAIT);
        assertEquals("ABSOLUTELY", alive.command());
        assertEquals("7", alive.parameter("serial"));
        assertTrue(
            service
                .request(new Message().setCommand("HELP"), WAIT)
                .parameter("list")
                .contains("ALIVE"));
        assertEquals("UNKNOWN", service.request(new Message().setCommand("FOO"), WAIT).command());
        assertTrue(service.isOpen());
      }
    }
  }

  @Test
  void repliesThatComeTogetherAreKeptInOrder() {
    try (BlockingMessageConnection service =
        BlockingMessageConnection.connect(listen("127.0.0.1:0"), WAIT)) {
      service.send(new Message().setCommand("TWICE"), WAIT);
      service.send(new Message().setCommand("ALIVE"), WAIT);
      assertEquals("FIRST", service.receive(WAIT).command());
      assertEquals("SECOND", service.receive(WAIT).command());
      assertEquals("ABSOLUTELY", service.receive(WAIT).command());
    }
  }

  @Test
  void noReplyIsATimeoutAndTheConnectionStaysUsable() {
    try (BlockingMessageConnection service =
        BlockingMessageConnection.connect(listen("127.0.0.1:0"), WAIT)) {
      long start = System.nanoTime();
      CommunicatorException e =
          assertThrows(
              CommunicatorException.class,
              () -> service.request(new Message().setCommand("SILENT"), Duration.ofMillis(200)));
      long waited = (System.nanoTime() - start) / 1_000_000;
      assertEquals(CommunicatorException.Kind.TIMED_OUT, e.kind());
      assertTrue(e.getMessage().contains("within 200 ms (timed out)"), e.getMessage());
      assertTrue(waited >= 190, "waited " + waited + " ms");
      assertEquals(
          "ABSOLUTELY", service.request(new Message().setCommand("ALIVE"), WAIT).command());
    }
  }

  @Test
  void aPeerThatClosesIsReportedOnceItsLastRepliesAreTaken() {
    try (BlockingMessageConnection service =
        BlockingMessageConnection.connect(listen("127.0.0.1:0"), WAIT)) {
      assertEquals("GOODBYE", service.request(new Message().setCommand("BYE"), WAIT).command());
      CommunicatorException e =
          assertThrows(CommunicatorException.class, () -> service.receive(WAIT));
      assertEquals(CommunicatorException.Kind.PEER_CLOSED, e.kind());
      assertTrue(e.getMessage().contains("the peer closed the connection"), e.getMessage());
      assertFalse(service.isOpen());
      CommunicatorException send =
          assertThrows(
              CommunicatorException.class,
              () -> service.send(new Message().setCommand("ALIVE"), WAIT));
      assertEquals(CommunicatorException.Kind.PEER_CLOSED, send.kind());
    }
  }

  @Test
  void aPeerThatDoesNotReadMakesSendTimeOut() throws IOException {
    try (ServerSocket deaf = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        BlockingMessageConnection client =
            BlockingMessageConnection.connect(
                SocketAddress.Inet4.loopback(deaf.getLocalPort()), WAIT);
        java.net.Socket accepted = deaf.accept()) {
      Message huge = new Message().setCommand("BULK").addParameter("data", "x".repeat(32 << 20));
      CommunicatorException e =
          assertThrows(
              CommunicatorException.class, () -> client.send(huge, Duration.ofMillis(300)));
      assertEquals(CommunicatorException.Kind.TIMED_OUT, e.kind());
      assertTrue(e.getMessage().contains("the peer took only part of \"BULK\""), e.getMessage());
      assertTrue(accepted.isConnected());
    }
  }

  @Test
  void nothingListeningIsAConnectFailureWithItsErrno() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    CommunicatorException e =
        assertThrows(
            CommunicatorException.class,
            () -> BlockingMessageConnection.connect(SocketAddress.Inet4.loopback(port), WAIT));
    assertEquals(CommunicatorException.Kind.CONNECT_FAILED, e.kind());
    assertEquals(Errno.ECONNREFUSED, e.errno());
    assertThrows(
        IllegalArgumentException.class,
        () -> BlockingMessageConnection.connect(SocketAddress.Inet4.loopback(port), Duration.ZERO));
  }
}
