package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.Epoll;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the loopback interface lets datagrams do beyond unicast: broadcast to {@code
 * 127.255.255.255} (refused without {@code SO_BROADCAST}) and IPv4 multicast through {@code lo},
 * with the options that steer it and their error paths.
 */
class DatagramDeliveryTest {
  private static final Inet4Address GROUP = (Inet4Address) InetAddress.ofLiteral("239.255.42.101");

  /** 127.255.255.255: the kernel's local table has a broadcast route for it on lo. */
  private static final SocketAddress.Inet4 LOOPBACK_BROADCAST =
      new SocketAddress.Inet4(0x7FFFFFFF, 0);

  private final int loopback = Sockaddr.interfaceIndex("lo");

  @Test
  void broadcastNeedsTheFlagAndThenReachesAWildcardSocket() {
    try (Socket receiver = Socket.datagram(Socket.Family.INET, Socket.NONBLOCK);
        Socket sender = Socket.datagram(Socket.Family.INET, 0)) {
      receiver.bind(SocketAddress.Inet4.any(0));
      int port = ((SocketAddress.Inet4) receiver.localAddress()).port();
      SocketAddress to = new SocketAddress.Inet4(LOOPBACK_BROADCAST.address(), port);

      OsException refused = assertThrows(OsException.class, () -> sender.sendTo(bytes("x"), 0, to));
      assertEquals(Errno.EACCES, refused.errno());
      assertTrue(refused.getMessage().contains("127.255.255.255:" + port), refused.getMessage());

      sender.set(SocketOption.BROADCAST, true);
      assertEquals(5, sender.sendTo(bytes("hello"), 0, to));
      assertEquals("hello", receive(receiver));
    }
  }

  @Test
  void multicastThroughTheLoopbackInterface() {
    try (Socket member = Socket.datagram(Socket.Family.INET, Socket.NONBLOCK);
        Socket sender = Socket.datagram(Socket.Family.INET, 0)) {
      member.bind(SocketAddress.Inet4.any(0));
      member.joinMulticastGroup(GROUP, loopback);
      int port = ((SocketAddress.Inet4) member.localAddress()).port();
      SocketAddress group = groupAddress(port);

      sender.setMulticastInterface(loopback);
      assertTrue(sender.get(SocketOption.MULTICAST_LOOP)); // the kernel's default
      sender.set(SocketOption.MULTICAST_TTL, 0); // this host only
      assertEquals(0, sender.get(SocketOption.MULTICAST_TTL));
      sender.sendTo(bytes("to the group"), 0, group);
      assertEquals("to the group", receive(member));

      // Loop off only stops the kernel's own copy for local members: a datagram sent through lo
      // comes back anyway, as the loopback device hands every packet it sends back to the stack.
      sender.set(SocketOption.MULTICAST_LOOP, false);
      assertFalse(sender.get(SocketOption.MULTICAST_LOOP));
      sender.sendTo(bytes("through lo"), 0, group);
      assertEquals("through lo", receive(member));
    }
  }

  @Test
  void multicastOptionErrorsNameTheCallAndInterface() {
    try (Socket udp = Socket.datagram(Socket.Family.INET, 0);
        Socket unix = Socket.datagram(Socket.Family.UNIX, 0)) {
      OsException noSuchInterface =
          assertThrows(OsException.class, () -> udp.setMulticastInterface(999_999));
      assertEquals(Errno.EADDRNOTAVAIL, noSuchInterface.errno());
      assertEquals("setsockopt(IP_MULTICAST_IF)", noSuchInterface.call());
      assertTrue(
          noSuchInterface.getMessage().contains("interface 999999"), noSuchInterface.getMessage());

      OsException ttl =
          assertThrows(OsException.class, () -> udp.set(SocketOption.MULTICAST_TTL, 256));
      assertEquals(Errno.EINVAL, ttl.errno());
      assertEquals("setsockopt(IP_MULTICAST_TTL)", ttl.call());

      OsException notIp =
          assertThrows(OsException.class, () -> unix.set(SocketOption.MULTICAST_LOOP, true));
      assertEquals(Errno.EOPNOTSUPP, notIp.errno());
      assertEquals(
          Errno.EOPNOTSUPP,
          assertThrows(OsException.class, () -> unix.setMulticastInterface(loopback)).errno());
    }
  }

  private static SocketAddress groupAddress(int port) {
    byte[] b = GROUP.getAddress();
    int address = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    return new SocketAddress.Inet4(address, port);
  }

  private static MemorySegment bytes(String text) {
    return MemorySegment.ofArray(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String receive(Socket socket) {
    SocketTest.awaitReady(socket, Epoll.IN);
    byte[] into = new byte[64];
    long n = socket.receiveFrom(MemorySegment.ofArray(into), 0, new SocketAddressBuffer());
    return new String(into, 0, (int) n, StandardCharsets.US_ASCII);
  }
}
