package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sockets on the real kernel, loopback only. */
class SocketTest {
  private final Arena arena = Arena.ofAuto();

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:0", "[::1]:0"})
  void tcpConnectsAcceptsCarriesBytesAndEndsWithEof(String bindTo) {
    SocketAddress at = SocketAddress.parse(bindTo);
    try (Socket listener = Socket.stream(at.family(), Socket.NONBLOCK)) {
      listener.set(SocketOption.REUSE_ADDRESS, true);
      listener.bind(at);
      listener.listen(16);
      SocketAddress local = listener.localAddress();
      assertEquals(at.family(), local.family());
      assertNotEquals(0, port(local)); // getsockname reports the port the kernel picked
      assertNull(listener.accept()); // nothing waiting yet

      try (Socket client = Socket.stream(at.family(), Socket.NONBLOCK)) {
        if (!client.connect(local)) {
          awaitReady(client, Epoll.OUT);
          assertTrue(client.finishConnect());
        }
        awaitReady(listener, Epoll.IN);
        Socket server = listener.accept();
        assertNotNull(server);
        try {
          assertTrue(server.isNonBlocking());
          assertTrue(server.isCloseOnExec());
          assertTrue(server.isStream());
          assertEquals(at.family(), server.family());
          assertEquals(local, client.peerAddress());
          assertEquals(client.localAddress(), server.peerAddress());
          assertEquals(local, server.localAddress());

          MemorySegment buf = arena.allocate(64);
          assertEquals(Fd.WOULD_BLOCK, server.receive(buf, 0));
          assertEquals(5, client.send(ascii("hello"), 0));
          awaitReady(server, Epoll.IN);
          assertEquals("hello", text(buf, server.receive(buf, 0)));

          client.shutdown(Socket.Shutdown.WRITE);
          awaitReady(server, Epoll.IN);
          assertEquals(0, server.receive(buf, 0)); // end of stream
          assertEquals(3, server.send(ascii("bye"), 0)); // the other direction still works
          awaitReady(client, Epoll.IN);
          assertEquals("bye", text(buf, client.receive(buf, 0)));
          server.close();
          awaitReady(client, Epoll.IN);
          assertEquals(0, client.receive(buf, 0));
        } finally {
          server.close();
        }
      }
    }
  }

  @Test
  void heapSegmentsAreSentAndReceived() {
    try (Socket listener = listening(SocketAddress.Inet4.loopback(0));
        Socket client = Socket.stream(Socket.Family.INET, 0)) {
      assertTrue(client.connect(listener.localAddress())); // blocking: done when it returns
      try (Socket server = listener.accept()) {
        byte[] out = "heap bytes".getBytes(StandardCharsets.US_ASCII);
        assertEquals(out.length, client.send(MemorySegment.ofArray(out), 0));
        byte[] in = new byte[64];
        awaitReady(server, Epoll.IN);
        long n = server.receive(MemorySegment.ofArray(in), 0);
        assertEquals("heap bytes", new String(in, 0, (int) n, StandardCharsets.US_ASCII));
        assertThrows(
            IllegalArgumentException.class,
            () -> server.receive(MemorySegment.ofArray(in).asReadOnly(), 0));
      }
    }
  }

  @Test
  void nonBlockingConnectToAClosedPortFailsWithEconnrefusedFromFinishConnect() {
    // A bound socket that does not listen holds the port: connections to it are refused.
    try (Socket closed = Socket.stream(Socket.Family.INET, 0);
        Socket client = Socket.stream(Socket.Family.INET, Socket.NONBLOCK)) {
      closed.bind(SocketAddress.Inet4.loopback(0));
      SocketAddress target = closed.localAddress();
      assertFalse(client.connect(target)); // EINPROGRESS even on loopback
      awaitReady(client, Epoll.OUT);
      OsException e = assertThrows(OsException.class, client::finishConnect);
      assertEquals(Errno.ECONNREFUSED, e.errno());
      assertEquals("connect", e.call());
      assertEquals(
          "connect on fd " + client.fd() + " to " + target + ": ECONNREFUSED (Connection refused)",
          e.getMessage());
    }
  }

  @Test
  void finishConnectBeforeTheAttemptEndsReportsInProgress() {
    try (Socket client = Socket.stream(Socket.Family.INET, Socket.NONBLOCK)) {
      // Nothing was started: no error pending, no peer, so "not yet".
      assertFalse(client.finishConnect());
    }
  }

  @Test
  void secondBindToTheSamePortIsEaddrinuse() {
    try (Socket first = listening(SocketAddress.Inet4.loopback(0));
        Socket second = Socket.stream(Socket.Family.INET, 0)) {
      SocketAddress taken = first.localAddress();
      OsException e = assertThrows(OsException.class, () -> second.bind(taken));
      assertEquals(Errno.EADDRINUSE, e.errno());
      assertEquals(
          "bind on fd " + second.fd() + " to " + taken + ": EADDRINUSE (Address already in use)",
          e.getMessage());
    }
  }

  @Test
  void acceptOnAnEmptyNonBlockingListenerReturnsNull() {
    try (Socket listener = Socket.stream(Socket.Family.INET6, Socket.NONBLOCK)) {
      listener.bind(SocketAddress.Inet6.loopback(0));
      listener.listen(1);
      assertNull(listener.accept());
      assertNull(listener.accept());
    }
  }

  @Test
  void unixStreamOnAPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("herald.sock");
    SocketAddress at = SocketAddress.unix(file.toString());
    try (Socket listener = listening(at)) {
      assertTrue(Files.exists(file)); // bind created the socket file
      assertEquals(at, listener.localAddress());
      try (Socket client = Socket.stream(Socket.Family.UNIX, Socket.NONBLOCK)) {
        assertTrue(client.connect(at)); // Unix sockets connect at once
        try (Socket server = listener.accept()) {
          assertEquals(at, client.peerAddress());
          assertEquals(new SocketAddress.UnixUnnamed(), server.peerAddress());
          assertEquals(new SocketAddress.UnixUnnamed(), client.localAddress());
          roundTrip(client, server);
        }
      }
    } finally {
      assertTrue(FileSystemCalls.unlink(file)); // closing leaves the file: the binder removes it
    }
    assertFalse(Files.exists(file));
  }

  @Test
  void unixConnectToAMissingPathIsEnoentNamingThePath(@TempDir Path dir) {
    SocketAddress missing = SocketAddress.unix(dir.resolve("nobody.sock").toString());
    try (Socket client = Socket.stream(Socket.Family.UNIX, Socket.NONBLOCK)) {
      OsException e = assertThrows(OsException.class, () -> client.connect(missing));
      assertEquals(Errno.ENOENT, e.errno());
      assertTrue(e.getMessage().startsWith("connect on fd " + client.fd() + " to " + missing));
    }
  }

  @Test
  void unixStreamOnAnAbstractName() {
    SocketAddress at = uniqueAbstractName("stream");
    try (Socket listener = listening(at);
        Socket client = Socket.stream(Socket.Family.UNIX, 0)) {
      assertEquals(at, listener.localAddress());
      assertTrue(client.connect(at));
      try (Socket server = listener.accept()) {
        assertEquals(at, client.peerAddress());
        roundTrip(client, server);
      }
    }
    // The name is gone with its socket: binding it again works.
    try (Socket again = Socket.stream(Socket.Family.UNIX, 0)) {
      again.bind(at);
    }
  }

  @Test
  void unixDatagramsCarryTheSendersAddress() {
    SocketAddress serverAt = uniqueAbstractName("dgram-server");
    SocketAddress clientAt = uniqueAbstractName("dgram-client");
    try (Socket server = Socket.datagram(Socket.Family.UNIX, Socket.NONBLOCK);
        Socket client = Socket.datagram(Socket.Family.UNIX, Socket.NONBLOCK);
        Socket anonymous = Socket.datagram(Socket.Family.UNIX, Socket.NONBLOCK)) {
      server.bind(serverAt);
      client.bind(clientAt);
      assertFalse(server.isStream());
      SocketAddressBuffer from = new SocketAddressBuffer();
      assertNull(from.address()); // nothing received yet
      MemorySegment buf = arena.allocate(64);
      assertEquals(Fd.WOULD_BLOCK, server.receiveFrom(buf, 0, from));

      assertEquals(4, client.sendTo(ascii("ping"), 0, serverAt));
      assertEquals("ping", text(buf, server.receiveFrom(buf, 0, from)));
      assertEquals(clientAt, from.address());
      assertEquals(4, server.sendTo(ascii("pong"), 0, from.address()));
      assertEquals("pong", text(buf, client.receiveFrom(buf, 0, from)));
      assertEquals(serverAt, from.address());

      anonymous.sendTo(ascii("who"), 0, serverAt);
      assertEquals("who", text(buf, server.receiveFrom(buf, 0, from)));
      assertEquals(new SocketAddress.UnixUnnamed(), from.address());
    }
  }

  @Test
  void unixAutobindPicksAnAbstractName() {
    try (Socket s = Socket.datagram(Socket.Family.UNIX, 0)) {
      s.bind(new SocketAddress.UnixUnnamed());
      SocketAddress.UnixAbstract name =
          assertInstanceOf(SocketAddress.UnixAbstract.class, s.localAddress());
      assertTrue(name.name().matches("[0-9a-f]{5}"), name.name());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:0", "[::1]:0"})
  void udpSendToAndReceiveFromCarryThePeerAddress(String bindTo) {
    SocketAddress at = SocketAddress.parse(bindTo);
    try (Socket server = Socket.datagram(at.family(), Socket.NONBLOCK);
        Socket client = Socket.datagram(at.family(), Socket.NONBLOCK)) {
      server.bind(at);
      client.bind(at);
      SocketAddress serverAt = server.localAddress();
      SocketAddressBuffer from = new SocketAddressBuffer();
      MemorySegment buf = arena.allocate(64);

      assertEquals(5, client.sendTo(ascii("hello"), 0, serverAt));
      awaitReady(server, Epoll.IN);
      assertEquals("hello", text(buf, server.receiveFrom(buf, 0, from)));
      assertEquals(client.localAddress(), from.address());

      byte[] reply = "heap reply".getBytes(StandardCharsets.US_ASCII);
      server.sendTo(MemorySegment.ofArray(reply), 0, from.address());
      awaitReady(client, Epoll.IN);
      byte[] got = new byte[64];
      long n = client.receiveFrom(MemorySegment.ofArray(got), 0, from);
      assertEquals("heap reply", new String(got, 0, (int) n, StandardCharsets.US_ASCII));
      assertEquals(serverAt, from.address());

      // MSG_TRUNC reports the datagram's real length though the buffer holds less.
      client.sendTo(ascii("0123456789"), 0, serverAt);
      awaitReady(server, Epoll.IN);
      assertEquals(10, server.receiveFrom(buf.asSlice(0, 4), Socket.MSG_TRUNC, from));
      assertEquals("0123", text(buf, 4));
      client.sendTo(ascii("abcdefghij"), 0, serverAt); // the same into a heap segment
      awaitReady(server, Epoll.IN);
      byte[] small = new byte[4];
      assertEquals(10, server.receiveFrom(MemorySegment.ofArray(small), Socket.MSG_TRUNC, from));
      assertEquals("abcd", new String(small, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void socketOptionsRoundTrip() {
    try (Socket tcp = Socket.stream(Socket.Family.INET, 0);
        Socket udp = Socket.datagram(Socket.Family.INET, 0);
        Socket v6 = Socket.stream(Socket.Family.INET6, 0)) {
      for (SocketOption<Boolean> flag :
          java.util.List.of(
              SocketOption.REUSE_ADDRESS,
              SocketOption.REUSE_PORT,
              SocketOption.KEEP_ALIVE,
              SocketOption.TCP_NO_DELAY)) {
        tcp.set(flag, true);
        assertTrue(tcp.get(flag), flag.name());
        tcp.set(flag, false);
        assertFalse(tcp.get(flag), flag.name());
      }
      assertFalse(udp.get(SocketOption.BROADCAST));
      udp.set(SocketOption.BROADCAST, true);
      assertTrue(udp.get(SocketOption.BROADCAST));
      v6.set(SocketOption.IPV6_ONLY, true);
      assertTrue(v6.get(SocketOption.IPV6_ONLY));
      v6.set(SocketOption.IPV6_ONLY, false);
      assertFalse(v6.get(SocketOption.IPV6_ONLY));

      tcp.set(SocketOption.RECEIVE_BUFFER, 65536);
      assertEquals(2 * 65536, tcp.get(SocketOption.RECEIVE_BUFFER)); // the kernel doubles it
      tcp.set(SocketOption.SEND_BUFFER, 65536);
      assertEquals(2 * 65536, tcp.get(SocketOption.SEND_BUFFER));
      assertEquals(0, tcp.get(SocketOption.ERROR));
    }
  }

  @Test
  void socketOptionErrorsNameTheOption() {
    try (Socket v4 = Socket.stream(Socket.Family.INET, 0)) {
      OsException readOnly = assertThrows(OsException.class, () -> v4.set(SocketOption.ERROR, 1));
      assertEquals(Errno.ENOPROTOOPT, readOnly.errno());
      assertEquals("setsockopt(SO_ERROR)", readOnly.call());
      OsException wrongFamily =
          assertThrows(OsException.class, () -> v4.get(SocketOption.IPV6_ONLY));
      assertEquals(Errno.EOPNOTSUPP, wrongFamily.errno());
      assertTrue(
          wrongFamily.getMessage().startsWith("getsockopt(IPV6_V6ONLY) on fd " + v4.fd()),
          wrongFamily.getMessage());
    }
  }

  @Test
  void multicastJoinOnLoopbackAndAnInvalidGroup() throws Exception {
    int loopback = Sockaddr.interfaceIndex("lo");
    assertNotEquals(0, loopback);
    try (Socket udp = Socket.datagram(Socket.Family.INET, 0)) {
      udp.bind(SocketAddress.Inet4.any(0));
      udp.joinMulticastGroup(
          (java.net.Inet4Address) java.net.InetAddress.ofLiteral("239.255.42.99"), loopback);
      OsException e =
          assertThrows(
              OsException.class,
              () ->
                  udp.joinMulticastGroup(
                      (java.net.Inet4Address) java.net.InetAddress.ofLiteral("10.1.2.3"),
                      loopback));
      assertEquals(Errno.EINVAL, e.errno());
      assertTrue(e.getMessage().contains("group 10.1.2.3"), e.getMessage());
    }
  }

  private Socket listening(SocketAddress at) {
    Socket s = Socket.stream(at.family(), 0);
    s.bind(at);
    s.listen(16);
    return s;
  }

  private void roundTrip(Socket client, Socket server) {
    MemorySegment buf = arena.allocate(64);
    assertEquals(4, client.send(ascii("ping"), 0));
    awaitReady(server, Epoll.IN);
    assertEquals("ping", text(buf, server.receive(buf, 0)));
    assertEquals(4, server.write(ascii("pong")));
    awaitReady(client, Epoll.IN);
    assertEquals("pong", text(buf, client.read(buf)));
  }

  static SocketAddress uniqueAbstractName(String what) {
    return new SocketAddress.UnixAbstract(
        "herald-test-" + what + "-" + Signals.processId() + "-" + System.nanoTime());
  }

  /** Waits (at most 5 s) until {@code fd} reports {@code events}. */
  static void awaitReady(Fd fd, int events) {
    try (Epoll epoll = Epoll.create();
        EpollEvents ready = EpollEvents.allocate(1)) {
      epoll.add(fd.fd(), events, 0);
      assertEquals(1, epoll.await(ready, 5000), "fd " + fd.fd() + " not ready");
    }
  }

  private MemorySegment ascii(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    return arena.allocate(bytes.length).copyFrom(MemorySegment.ofArray(bytes));
  }

  private static String text(MemorySegment buf, long n) {
    return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
  }

  private static int port(SocketAddress a) {
    return switch (a) {
      case SocketAddress.Inet4 v4 -> v4.port();
      case SocketAddress.Inet6 v6 -> v6.port();
      default -> throw new AssertionError(a);
    };
  }
}
