package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every socket call's failure: the errno, and a message naming the call, the fd and the address.
 */
class SocketErrorTest {
  private final Arena arena = Arena.ofAuto();

  @Test
  void sendToAClosedPeerIsEpipeAndRaisesNoSigpipe() throws Exception {
    // SIGPIPE is blocked in a fresh thread and watched by a signalfd: without MSG_NOSIGNAL the
    // kernel would queue one for this thread (the JVM ignores it otherwise, so it would go unseen).
    onFreshThread(
        () -> {
          try (SignalFd sigpipe = SignalFd.create(Signals.SIGPIPE);
              Socket listener = Socket.stream(Socket.Family.INET, 0);
              Socket client = Socket.stream(Socket.Family.INET, 0)) {
            listener.bind(SocketAddress.Inet4.loopback(0));
            listener.listen(1);
            client.connect(listener.localAddress());
            listener.accept().close();
            MemorySegment buf = arena.allocate(1024);
            assertEquals(0, client.receive(buf, 0)); // the peer's FIN has arrived
            OsException e = null;
            for (int i = 0; i < 100 && e == null; i++) { // the first send draws the peer's RST
              try {
                client.send(buf, 0);
                Thread.sleep(10);
              } catch (OsException failed) {
                e = failed;
              }
            }
            assertNotNull(e, "sends to a closed peer kept succeeding");
            assertEquals(Errno.EPIPE, e.errno());
            assertEquals("send on fd " + client.fd() + ": EPIPE (Broken pipe)", e.getMessage());
            // write() on a socket is send() too: EPIPE again, and still no signal.
            assertEquals(
                Errno.EPIPE, assertThrows(OsException.class, () -> client.write(buf)).errno());
            assertNull(sigpipe.take(), "SIGPIPE was raised");
          }
        });
  }

  @Test
  void sendAfterShutdownWriteIsEpipeAndRaisesNoSigpipe() throws Exception {
    onFreshThread(
        () -> {
          try (SignalFd sigpipe = SignalFd.create(Signals.SIGPIPE);
              SocketPairOfSockets pair = SocketPairOfSockets.open()) {
            pair.client.shutdown(Socket.Shutdown.WRITE);
            MemorySegment buf = arena.allocate(8);
            OsException e = assertThrows(OsException.class, () -> pair.client.send(buf, 0));
            assertEquals(Errno.EPIPE, e.errno());
            assertNull(sigpipe.take(), "SIGPIPE was raised");
          }
        });
  }

  @Test
  void callsOnANonSocketAreEnotsockNamingTheCallAndFd() {
    try (Pipe pipe = Pipe.create(Pipe.NONBLOCK)) {
      Socket notASocket = new Socket(pipe.source().duplicate(), Socket.Family.INET, 1);
      try (notASocket) {
        int fd = notASocket.fd();
        SocketAddress at = SocketAddress.Inet4.loopback(0);
        MemorySegment buf = arena.allocate(8);
        expect(Errno.ENOTSOCK, "bind on fd " + fd + " to 127.0.0.1:0", () -> notASocket.bind(at));
        expect(Errno.ENOTSOCK, "listen on fd " + fd, () -> notASocket.listen(1));
        expect(Errno.ENOTSOCK, "accept4 on fd " + fd, notASocket::accept);
        expect(
            Errno.ENOTSOCK,
            "connect on fd " + fd + " to 127.0.0.1:0",
            () -> notASocket.connect(at));
        expect(Errno.ENOTSOCK, "getsockname on fd " + fd, notASocket::localAddress);
        expect(Errno.ENOTSOCK, "getpeername on fd " + fd, notASocket::peerAddress);
        expect(
            Errno.ENOTSOCK,
            "shutdown(SHUT_WR) on fd " + fd,
            () -> notASocket.shutdown(Socket.Shutdown.WRITE));
        expect(Errno.ENOTSOCK, "send on fd " + fd, () -> notASocket.send(buf, 0));
        expect(Errno.ENOTSOCK, "recv on fd " + fd, () -> notASocket.receive(buf, 0));
        expect(
            Errno.ENOTSOCK,
            "sendto on fd " + fd + " to 127.0.0.1:0",
            () -> notASocket.sendTo(buf, 0, at));
        expect(
            Errno.ENOTSOCK,
            "recvfrom on fd " + fd,
            () -> notASocket.receiveFrom(buf, 0, new SocketAddressBuffer()));
        expect(
            Errno.ENOTSOCK,
            "setsockopt(SO_KEEPALIVE) on fd " + fd,
            () -> notASocket.set(SocketOption.KEEP_ALIVE, true));
        expect(
            Errno.ENOTSOCK,
            "getsockopt(SO_ERROR) on fd " + fd,
            () -> notASocket.get(SocketOption.ERROR));
        expect(Errno.ENOTSOCK, "getsockopt(SO_ERROR) on fd " + fd, notASocket::finishConnect);
      }
    }
  }

  @Test
  void callsOnAClosedSocketOrABadNumber() {
    Socket closed = Socket.stream(Socket.Family.INET, 0);
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.bind(SocketAddress.Inet4.any(0)));
    assertThrows(IllegalStateException.class, closed::accept);
    // A number that is no open file: the kernel reports EBADF (closing it too).
    int bad = 987_654;
    Socket stale = new Socket(OwnedFd.adopt(bad), Socket.Family.INET, 1);
    expect(
        Errno.EBADF,
        "bind on fd " + bad + " to 0.0.0.0:0",
        () -> stale.bind(SocketAddress.Inet4.any(0)));
    expect(Errno.EBADF, "send on fd " + bad, () -> stale.send(arena.allocate(1), 0));
    expect(Errno.EBADF, "getsockname on fd " + bad, stale::localAddress);
    expect(Errno.EBADF, "close on fd " + bad, stale::close);
  }

  @Test
  void callsInTheWrongStateFailWithTheKernelsErrno() {
    try (Socket udp = Socket.datagram(Socket.Family.INET, 0);
        Socket tcp = Socket.stream(Socket.Family.INET, 0);
        Socket v6 = Socket.stream(Socket.Family.INET6, 0)) {
      expect(Errno.EOPNOTSUPP, "listen on fd " + udp.fd(), () -> udp.listen(1));
      expect(Errno.EINVAL, "accept4 on fd " + tcp.fd(), tcp::accept);
      expect(Errno.ENOTCONN, "getpeername on fd " + tcp.fd(), tcp::peerAddress);
      expect(
          Errno.ENOTCONN,
          "shutdown(SHUT_RDWR) on fd " + tcp.fd(),
          () -> tcp.shutdown(Socket.Shutdown.BOTH));
      expect(Errno.EPIPE, "send on fd " + tcp.fd(), () -> tcp.send(arena.allocate(1), 0));
      // An IPv4 address on an IPv6 socket is too short for sockaddr_in6.
      expect(
          Errno.EINVAL,
          "bind on fd " + v6.fd() + " to 127.0.0.1:0",
          () -> v6.bind(SocketAddress.Inet4.loopback(0)));
      // 192.0.2.1 (TEST-NET-1) is no local address.
      expect(
          Errno.EADDRNOTAVAIL,
          "bind on fd " + tcp.fd() + " to 192.0.2.1:0",
          () -> tcp.bind(SocketAddress.parse("192.0.2.1:0")));
    }
  }

  @Test
  void sendToAUnixNameWithNoSocketNamesTheDestination() {
    SocketAddress nobody = SocketTest.uniqueAbstractName("nobody");
    try (Socket udp = Socket.datagram(Socket.Family.UNIX, Socket.NONBLOCK)) {
      expect(
          Errno.ECONNREFUSED,
          "sendto on fd " + udp.fd() + " to " + nobody,
          () -> udp.sendTo(arena.allocate(1), 0, nobody));
    }
  }

  private static void expect(int errno, String messageStart, Executable call) {
    OsException e = assertThrows(OsException.class, call);
    assertEquals(errno, e.errno(), e.getMessage());
    assertTrue(e.getMessage().startsWith(messageStart + ": "), e.getMessage());
  }

  /** Runs {@code body} on a new platform thread, whose signal mask it may change. */
  private static void onFreshThread(Executable body) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    body.execute();
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  /** A connected TCP pair on loopback. */
  private record SocketPairOfSockets(Socket client, Socket server) implements AutoCloseable {
    static SocketPairOfSockets open() {
      try (Socket listener = Socket.stream(Socket.Family.INET, 0)) {
        listener.bind(SocketAddress.Inet4.loopback(0));
        listener.listen(1);
        Socket client = Socket.stream(Socket.Family.INET, 0);
        client.connect(listener.localAddress());
        return new SocketPairOfSockets(client, listener.accept());
      }
    }

    @Override
    public void close() {
      try {
        client.close();
      } finally {
        server.close();
      }
    }
  }
}
