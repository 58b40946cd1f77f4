package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.Errno;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Listeners, accepted connections and non-blocking connects over real TCP and Unix sockets. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamSocketTest {
  private final Loop loop = new Loop();
  private final Dispatcher service = new Dispatcher();
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final ConcurrentLinkedQueue<CommunicatorException> serverEnds =
      new ConcurrentLinkedQueue<>();

  StreamSocketTest() {
    DefaultCommands.install(service, new ServiceHooks() {});
    service.addMatch(
        DispatcherMatch.command(
            "ECHO",
            m ->
                service.reply(
                    m,
                    new Message().setCommand("ECHOED").addParameter("text", m.parameter("text")))));
  }

  @AfterEach
  void close() throws Exception {
    try {
      loop.close();
    } finally {
      for (AutoCloseable each : closeLast) {
        each.close();
      }
    }
  }

  /** Listens on {@code address} for message clients of the test service. */
  private StreamListener listen(SocketAddress address) {
    return loop.call(
        () ->
            StreamListener.listen(
                loop.communicator,
                "service",
                address,
                (listener, client) ->
                    MessageConnection.open(
                            loop.communicator, "client", Transport.of(client), service)
                        .onClosed(
                            (c, failure) -> serverEnds.add(failure == null ? NONE : failure))));
  }

  private static final CommunicatorException NONE =
      new CommunicatorException(CommunicatorException.Kind.CLOSED, "orderly end");

  /** A plain blocking-free client of the test's own, connected to {@code address}. */
  private Peer client(SocketAddress address) {
    Socket socket = Socket.stream(address.family(), 0);
    socket.connect(address);
    Peer peer = new Peer(socket);
    closeLast.add(peer);
    return peer;
  }

  private void assertServes(SocketAddress address) {
    Peer peer = client(address);
    peer.write("ALIVE serial=3\nECHO text=\"a b;c\"\n");
    assertTrue(peer.readLine().startsWith("ABSOLUTELY reply_timestamp="));
    assertEquals("ECHOED text=\"a b;c\"", peer.readLine());
  }

  @Test
  void aTcpListenerOnPortZeroServesMessages() {
    loop.start();
    StreamListener listener = listen(SocketAddress.parse("127.0.0.1:0"));

    SocketAddress.Inet4 bound = (SocketAddress.Inet4) listener.address();
    assertNotEquals(0, bound.port());
    assertEquals("127.0.0.1:" + bound.port(), bound.toString());
    assertServes(bound);
  }

  @Test
  void anIpv6ListenerServesMessages() {
    loop.start();
    StreamListener listener;
    try {
      listener = listen(SocketAddress.parse("[::1]:0"));
    } catch (CommunicatorException e) {
      Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
      return;
    }
    assertServes(listener.address());
  }

  @Test
  void aUnixPathListenerRemovesItsFileWhenItCloses(@TempDir Path dir) {
    loop.start();
    Path path = dir.resolve("service.sock");
    StreamListener listener = listen(SocketAddress.unix(path.toString()));

    assertTrue(Files.exists(path));
    assertServes(listener.address());
    loop.run(listener::close);
    assertFalse(Files.exists(path));
    assertFalse(listener.isOpen());
  }

  @Test
  void aUnixAbstractListenerServesMessages() {
    loop.start();
    String name = "@herald-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    StreamListener listener = listen(SocketAddress.unix(name));

    assertEquals(name, listener.address().toString());
    assertServes(listener.address());
  }

  @Test
  void aStaleSocketFileIsReplacedAndALiveOneRefused(@TempDir Path dir) {
    loop.start();
    SocketAddress address = SocketAddress.unix(dir.resolve("stale.sock").toString());
    try (Socket dead = Socket.stream(Socket.Family.UNIX, 0)) {
      dead.bind(address); // the file of a listener that died without removing it
    }

    StreamListener listener = listen(address);
    assertServes(address);

    CommunicatorException taken =
        assertThrows(
            CommunicatorException.class,
            () ->
                loop.call(
                    () ->
                        StreamListener.listen(
                            loop.communicator, "second", address, (l, c) -> c.close())));
    assertEquals(CommunicatorException.Kind.LISTEN_FAILED, taken.kind());
    assertEquals(Errno.EADDRINUSE, taken.errno());
    assertTrue(taken.getMessage().contains("\"second\""), taken.getMessage());
    assertTrue(listener.isOpen());
  }

  @Test
  void aClientThatHalfClosesStillGetsItsReplies() throws Exception {
    loop.start();
    // A Unix socket: its buffers are small (about 200 KiB), TCP loopback's may take megabytes.
    StreamListener listener =
        listen(
            SocketAddress.unix(
                "@herald-half-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    Socket socket = Socket.stream(Socket.Family.UNIX, 0);
    socket.connect(listener.address());
    Peer peer = new Peer(socket);
    closeLast.add(peer);

    // A reply far larger than the socket buffers: most of it is still pending at end of stream.
    String text = "x".repeat(600_000);
    peer.write("ECHO text=" + text + "\n");
    socket.shutdown(Socket.Shutdown.WRITE); // no more requests: the server sees end of stream

    assertEquals("ECHOED text=" + text, peer.readLine());
    assertEquals(0, peer.readToEnd().length); // then the server closes
    assertEquals(NONE, serverEnds.peek());
  }

  @Test
  void aPeerThatResetsInTheMiddleOfALineCostsOnlyItsConnection() throws Exception {
    loop.start();
    StreamListener listener = listen(SocketAddress.parse("127.0.0.1:0"));
    Peer rude = client(listener.address());
    rude.write("ALIVE\n");
    rude.readLine(); // the server has accepted it and answered
    rude.write("HELP\n"); // an answer the rude peer will never read ...
    loop.sync();
    rude.write("ECHO text=unfini");
    rude.closeFd(); // ... so closing resets the connection (RST), in the middle of a line

    CommunicatorException failure = nextServerEnd();
    assertEquals(CommunicatorException.Kind.IO_ERROR, failure.kind(), failure.getMessage());
    assertEquals(Errno.ECONNRESET, failure.errno(), failure.getMessage());
    assertServes(listener.address()); // the service lives on
  }

  private CommunicatorException nextServerEnd() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (serverEnds.isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "no server connection ended within 10 s");
      loop.sync();
    }
    return serverEnds.poll();
  }

  /** A connect attempt's outcome. */
  private static final class Outcome implements ConnectAttempt.Handler {
    final CompletableFuture<Socket> connected = new CompletableFuture<>();
    final CompletableFuture<CommunicatorException> failed = new CompletableFuture<>();

    @Override
    public void connected(ConnectAttempt attempt, Socket socket) {
      connected.complete(socket);
    }

    @Override
    public void failed(ConnectAttempt attempt, CommunicatorException failure) {
      failed.complete(failure);
    }

    /** Whichever came: the socket or the failure. */
    Object end() throws Exception {
      return CompletableFuture.anyOf(connected, failed).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConnectAttemptConnectsOverTcpAndUnixWithoutBlockingTheLoop(@TempDir Path dir)
      throws Exception {
    loop.start();
    for (SocketAddress at :
        List.of(SocketAddress.parse("127.0.0.1:0"), SocketAddress.unix(dir + "/c.sock"))) {
      SocketAddress address = listen(at).address();
      Outcome outcome = new Outcome();
      Dispatcher client = new Dispatcher();
      CompletableFuture<String> reply = new CompletableFuture<>();
      client.addMatch(DispatcherMatch.command("ECHOED", m -> reply.complete(m.parameter("text"))));

      ConnectAttempt attempt =
          loop.call(() -> ConnectAttempt.start(loop.communicator, "to", address, -1, outcome));
      Socket socket = outcome.connected.get(10, TimeUnit.SECONDS);
      loop.run(
          () ->
              MessageConnection.open(loop.communicator, "to", Transport.of(socket), client)
                  .sendMessage(new Message().setCommand("ECHO").addParameter("text", "hi")));

      assertEquals("hi", reply.get(10, TimeUnit.SECONDS));
      assertFalse(attempt.isPending());
      assertFalse(outcome.failed.isDone());
    }
  }

  @Test
  void aRefusedOrMissingPeerFailsTheAttempt(@TempDir Path dir) throws Exception {
    loop.start();
    SocketAddress closedPort;
    try (Socket probe = Socket.stream(Socket.Family.INET, 0)) {
      probe.bind(SocketAddress.parse("127.0.0.1:0"));
      closedPort = probe.localAddress(); // bound, never listening: refused
    }
    for (var expected :
        List.of(
            new Object[] {closedPort, Errno.ECONNREFUSED},
            new Object[] {SocketAddress.unix(dir + "/missing.sock"), Errno.ENOENT})) {
      Outcome outcome = new Outcome();
      SocketAddress address = (SocketAddress) expected[0];
      loop.run(() -> ConnectAttempt.start(loop.communicator, "nobody", address, -1, outcome));

      CommunicatorException failure = outcome.failed.get(10, TimeUnit.SECONDS);
      assertEquals(CommunicatorException.Kind.CONNECT_FAILED, failure.kind());
      assertEquals((int) expected[1], failure.errno(), failure.getMessage());
      assertTrue(failure.getMessage().contains(address.toString()), failure.getMessage());
    }
  }

  @Test
  void anAttemptNobodyAnswersTimesOut() throws Exception {
    loop.start();
    List<Socket> opened = new ArrayList<>();
    try (Socket full = Socket.stream(Socket.Family.INET, 0)) {
      full.bind(SocketAddress.parse("127.0.0.1:0"));
      full.listen(0); // never accepts: once its queue is full, new SYNs are dropped
      CommunicatorException timedOut = null;
      long millis = 0;
      for (int i = 0; i < 8 && timedOut == null; i++) {
        Outcome outcome = new Outcome();
        long start = System.nanoTime();
        loop.run(
            () ->
                ConnectAttempt.start(
                    loop.communicator, "slow", full.localAddress(), 200_000, outcome));
        Object end = outcome.end();
        millis = (System.nanoTime() - start) / 1_000_000;
        if (end instanceof Socket queued) {
          opened.add(queued); // the queue took it: try again with one more waiting
        } else {
          timedOut = (CommunicatorException) end;
        }
      }
      assertTrue(timedOut != null, "the listener's queue never filled");
      assertEquals(CommunicatorException.Kind.CONNECT_FAILED, timedOut.kind());
      assertEquals(Errno.ETIMEDOUT, timedOut.errno(), timedOut.getMessage());
      assertTrue(timedOut.getMessage().contains("timed out"), timedOut.getMessage());
      assertTrue(millis >= 200 && millis <= 200 + 150, "timed out after " + millis + " ms");
    } finally {
      opened.forEach(Socket::close);
    }
  }

  @Test
  void twoThousandClientsEachGetTheirReply() throws Exception {
    int clients = 2_000;
    loop.start();
    SocketAddress address = listen(SocketAddress.parse("127.0.0.1:0")).address();
    Dispatcher replies = new Dispatcher();
    AtomicInteger answered = new AtomicInteger();
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> all = new CompletableFuture<>();
    replies.addMatch(
        DispatcherMatch.command(
            "ABSOLUTELY",
            m -> {
              MessageConnection from = (MessageConnection) m.origin();
              if (!from.name().equals("client-" + m.parameter("serial"))) {
                wrong.add(from.name() + " got " + m);
              }
              from.close();
              if (answered.incrementAndGet() == clients) {
                all.complete(null);
              }
            }));

    try (Loop clientLoop = new Loop()) {
      clientLoop.start();
      clientLoop.run(
          () -> {
            for (int i = 0; i < clients; i++) {
              String name = "client-" + i;
              int serial = i;
              ConnectAttempt.start(
                  clientLoop.communicator,
                  name,
                  address,
                  10_000_000,
                  new ConnectAttempt.Handler() {
                    @Override
                    public void connected(ConnectAttempt attempt, Socket socket) {
                      MessageConnection.open(
                              clientLoop.communicator, name, Transport.of(socket), replies)
                          .sendMessage(
                              new Message().setCommand("ALIVE").addParameter("serial", serial));
                    }

                    @Override
                    public void failed(ConnectAttempt attempt, CommunicatorException failure) {
                      all.completeExceptionally(failure);
                    }
                  });
            }
          });
      all.get(20, TimeUnit.SECONDS);
    }
    assertEquals(clients, answered.get());
    assertEquals(List.of(), wrong);
    // Every server side ends in order once its client has left.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (serverEnds.size() < clients && System.nanoTime() < deadline) {
      loop.sync();
    }
    assertEquals(clients, serverEnds.size());
    assertTrue(serverEnds.stream().allMatch(e -> e == NONE));
  }

  @Test
  void listeningOnAnAddressInUseFailsClearly() {
    loop.start();
    SocketAddress taken = listen(SocketAddress.parse("127.0.0.1:0")).address();
    // SO_REUSEADDR does not let two listeners share a port.
    CommunicatorException failure =
        assertThrows(
            CommunicatorException.class,
            () ->
                loop.call(
                    () ->
                        StreamListener.listen(
                            loop.communicator, "again", taken, (l, c) -> c.close())));
    assertEquals(CommunicatorException.Kind.LISTEN_FAILED, failure.kind());
    assertEquals(Errno.EADDRINUSE, failure.errno());
    assertNull(loop.failure());
  }

  @Test
  void whatAnAcceptorThrowsLeavesRunAndTheClientIsClosed() {
    try (Communicator communicator = new Communicator()) {
      StreamListener listener =
          StreamListener.listen(
              communicator,
              "picky",
              SocketAddress.parse("127.0.0.1:0"),
              (l, client) -> {
                throw new IllegalStateException("picky acceptor");
              });
      Peer peer = client(listener.address()); // queued by the kernel at once

      assertEquals(
          "picky acceptor",
          assertThrows(IllegalStateException.class, communicator::run).getMessage());
      assertEquals(0, peer.readToEnd().length); // the client's socket was closed, not leaked
    }
  }
}
