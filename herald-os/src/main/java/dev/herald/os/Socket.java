package dev.herald.os;

import dev.herald.os.internal.HeapTransfer;
import dev.herald.os.internal.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.util.Objects;

/**
 * A socket this object owns ({@code socket(2)}): IPv4, IPv6 or Unix, stream or datagram, always
 * close-on-exec. Every call runs between {@link #acquire()} and {@link #release()} like every other
 * Herald descriptor, returns what a non-blocking loop needs ({@link Fd#WOULD_BLOCK}, {@code null},
 * {@code false}) instead of throwing for "not yet", and throws {@link OsException} naming the call,
 * the fd and the address for everything else.
 *
 * <p>A server:
 *
 * <pre>{@code
 * SocketAddress at = SocketAddress.parse("127.0.0.1:0");
 * try (Socket listener = Socket.stream(at.family(), Socket.NONBLOCK)) {
 *   listener.set(SocketOption.REUSE_ADDRESS, true);
 *   listener.bind(at);
 *   listener.listen(128);
 *   System.out.println("listening on " + listener.localAddress()); // 127.0.0.1:40123
 *   // when epoll reports the listener readable:
 *   Socket client;
 *   while ((client = listener.accept()) != null) { // non-blocking, close-on-exec
 *     register(client);
 *   }
 * }
 * }</pre>
 *
 * <p>A client that does not block its loop:
 *
 * <pre>{@code
 * Socket s = Socket.stream(to.family(), Socket.NONBLOCK);
 * if (!s.connect(to)) {
 *   // wait until epoll reports s writable (Epoll.OUT), then:
 *   s.finishConnect(); // throws OsException ECONNREFUSED, ETIMEDOUT, ... if it failed
 * }
 * long n = s.send(request, 0); // MSG_NOSIGNAL always: a closed peer is EPIPE, never SIGPIPE
 * }</pre>
 *
 * <p>{@link #send}, {@link #receive}, {@link #sendTo} and {@link #receiveFrom} allocate nothing;
 * they accept heap segments ({@code MemorySegment.ofArray}) through a per-thread native buffer as
 * {@link Fd#read} and {@link Fd#write} do, at most {@link Fd#HEAP_TRANSFER_LIMIT} bytes per call.
 * {@link #write} is {@code send} with no flags, so code written for any {@link Fd} gets EPIPE too.
 */
public final class Socket extends FdOwner {
  /**
   * {@code SOCK_NONBLOCK}: calls return {@link Fd#WOULD_BLOCK} (or null, false) instead of waiting.
   */
  public static final int NONBLOCK = O_NONBLOCK;

  /** {@code MSG_PEEK}: receive without removing the bytes from the queue. */
  public static final int MSG_PEEK = 0x2;

  /** {@code MSG_TRUNC}: a datagram receive returns the datagram's real length, even if cut. */
  public static final int MSG_TRUNC = 0x20;

  /** {@code MSG_DONTWAIT}: this one call does not block, whatever the socket's mode. */
  public static final int MSG_DONTWAIT = 0x40;

  /** {@code MSG_WAITALL}: a blocking receive waits for the whole buffer (or EOF / an error). */
  public static final int MSG_WAITALL = 0x100;

  /** {@code MSG_NOSIGNAL}: added to every send by this class, so a closed peer is EPIPE. */
  public static final int MSG_NOSIGNAL = 0x4000;

  /** {@code MSG_MORE}: more data follows; the kernel may hold this send back to fill a segment. */
  public static final int MSG_MORE = 0x8000;

  private static final int SOCK_STREAM = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int IPPROTO_IP = 0;
  private static final int IP_MULTICAST_IF = 32;
  private static final int IP_ADD_MEMBERSHIP = 35;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

  /** An address family ({@code AF_*}). */
  public enum Family {
    /** Unix-domain sockets: paths, abstract names ({@code AF_UNIX}). */
    UNIX(Sockaddr.AF_UNIX),
    /** IPv4 ({@code AF_INET}). */
    INET(Sockaddr.AF_INET),
    /** IPv6, and IPv4-mapped peers unless {@link SocketOption#IPV6_ONLY} ({@code AF_INET6}). */
    INET6(Sockaddr.AF_INET6);

    private final int value;

    Family(int value) {
      this.value = value;
    }
  }

  /** Which direction {@link #shutdown} ends. */
  public enum Shutdown {
    /** {@code SHUT_RD}: no more receiving; later receives return 0. */
    READ(0, "shutdown(SHUT_RD)"),
    /** {@code SHUT_WR}: no more sending; the peer reads end of file once the queue is drained. */
    WRITE(1, "shutdown(SHUT_WR)"),
    /** {@code SHUT_RDWR}: both. */
    BOTH(2, "shutdown(SHUT_RDWR)");

    private final int value;
    private final String call;

    Shutdown(int value, String call) {
      this.value = value;
      this.call = call;
    }
  }

  private final Family family;
  private final int type;

  /** The address of the last {@link #connect}, for {@link #finishConnect}'s message. */
  private volatile SocketAddress connectingTo;

  Socket(OwnedFd fd, Family family, int type) {
    super(fd);
    this.family = family;
    this.type = type;
  }

  /**
   * Creates a stream socket (TCP for {@code INET}/{@code INET6}); close-on-exec is always set.
   *
   * @param family the address family
   * @param flags 0 or {@link #NONBLOCK}
   * @return the socket
   * @throws OsException e.g. EMFILE when the process is out of descriptors, EAFNOSUPPORT where the
   *     kernel has no IPv6
   */
  public static Socket stream(Family family, int flags) {
    return create(family, SOCK_STREAM, flags);
  }

  /**
   * Creates a datagram socket (UDP for {@code INET}/{@code INET6}); close-on-exec is always set.
   *
   * @param family the address family
   * @param flags 0 or {@link #NONBLOCK}
   * @return the socket
   */
  public static Socket datagram(Family family, int flags) {
    return create(family, SOCK_DGRAM, flags);
  }

  private static Socket create(Family family, int type, int flags) {
    int rc = Libc.SOCKET.call(family.value, type | flags | O_CLOEXEC, 0);
    OsException.check(rc, "socket(" + family + ", " + typeName(type) + ")", "");
    return new Socket(OwnedFd.adopt(rc), family, type);
  }

  /**
   * The address family the socket was created with.
   *
   * @return the family
   */
  public Family family() {
    return family;
  }

  /**
   * Whether this is a stream socket (else a datagram socket).
   *
   * @return true for {@code SOCK_STREAM}
   */
  public boolean isStream() {
    return type == SOCK_STREAM;
  }

  /**
   * Gives the socket a local address ({@code bind}). Port 0 picks a free port ({@link
   * #localAddress()} tells which); a {@link SocketAddress.UnixPath} creates the socket file, which
   * the caller removes when done; {@link SocketAddress.UnixUnnamed} has the kernel pick an abstract
   * name.
   *
   * @param address where to bind
   * @throws OsException EADDRINUSE if taken, EACCES for a privileged port or a directory without
   *     write permission, EADDRNOTAVAIL for an address that is not local, EINVAL if already bound
   */
  public void bind(SocketAddress address) {
    MemorySegment sockaddr = Libc.scratch();
    int length = Sockaddr.encode(address, sockaddr);
    int n = acquire();
    try {
      int rc = Libc.BIND.call(n, sockaddr, length);
      if (rc < 0) {
        throw new OsException("bind", "fd " + n + " to " + address, -rc);
      }
    } finally {
      release();
    }
  }

  /**
   * Starts accepting connections ({@code listen}).
   *
   * @param backlog how many connections may wait to be accepted (the kernel caps it at {@code
   *     net.core.somaxconn})
   * @throws OsException EOPNOTSUPP on a datagram socket
   */
  public void listen(int backlog) {
    int n = acquire();
    try {
      OsException.check(Libc.LISTEN.call(n, backlog), "listen", n);
    } finally {
      release();
    }
  }

  /**
   * Accepts one connection ({@code accept4}); retries on EINTR and on ECONNABORTED (a connection
   * reset while it waited, which the next one should not pay for). The new socket is always
   * non-blocking and close-on-exec, whatever this socket's mode.
   *
   * @return the connection, or null if this socket is non-blocking and none is waiting
   * @throws OsException EINVAL if the socket is not listening, EMFILE when out of descriptors
   */
  public Socket accept() {
    int n = acquire();
    try {
      while (true) {
        int rc = Libc.ACCEPT4.call(n, MemorySegment.NULL, MemorySegment.NULL, NONBLOCK | O_CLOEXEC);
        if (rc >= 0) {
          return new Socket(OwnedFd.adopt(rc), family, type);
        }
        if (rc == -Errno.EAGAIN) {
          return null;
        }
        if (rc != -Errno.EINTR && rc != -Errno.ECONNABORTED) {
          throw new OsException("accept4", "fd " + n, -rc);
        }
      }
    } finally {
      release();
    }
  }

  /**
   * Connects to {@code address} ({@code connect}); for a datagram socket, sets the default
   * destination and the only source accepted.
   *
   * <p>On a non-blocking stream socket the connection usually continues in the background: the call
   * returns false, the socket becomes writable ({@code Epoll.OUT}) when the attempt ends, and
   * {@link #finishConnect()} tells how it ended. A Unix socket connects at once or fails.
   *
   * @param address the peer
   * @return true if connected now, false if the connection is in progress (EINPROGRESS, or EINTR on
   *     a blocking socket)
   * @throws OsException ECONNREFUSED (loopback and Unix sockets can refuse at once), ENOENT for a
   *     missing Unix socket file, EAGAIN when a Unix listener's backlog is full, ENETUNREACH, ...
   */
  public boolean connect(SocketAddress address) {
    connectingTo = address;
    MemorySegment sockaddr = Libc.scratch();
    int length = Sockaddr.encode(address, sockaddr);
    int n = acquire();
    try {
      int rc = Libc.CONNECT.call(n, sockaddr, length);
      if (rc == 0) {
        return true;
      }
      if (rc == -Errno.EINPROGRESS || rc == -Errno.EINTR) {
        return false;
      }
      throw new OsException("connect", "fd " + n + " to " + address, -rc);
    } finally {
      release();
    }
  }

  /**
   * Ends a connection attempt that {@link #connect} left in progress: reads and clears {@code
   * SO_ERROR}, then checks that a peer is there.
   *
   * @return true if connected, false if the attempt is still in progress (wait for writability
   *     again)
   * @throws OsException the attempt's real error, as {@code connect} on the fd to the address, e.g.
   *     ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH
   */
  public boolean finishConnect() {
    int n = acquire();
    try {
      int error = getInt(n, SocketOption.ERROR);
      if (error != 0) {
        throw new OsException("connect", "fd " + n + " to " + connectingTo, error);
      }
      MemorySegment scratch = Libc.scratch();
      int rc = name(n, scratch, true);
      if (rc == -Errno.ENOTCONN) {
        return false;
      }
      OsException.check(rc, "getpeername", n);
      return true;
    } finally {
      release();
    }
  }

  /**
   * The address the socket is bound to ({@code getsockname}): after binding port 0, the real port.
   *
   * @return the address (for an unbound socket: port 0, or {@link SocketAddress.UnixUnnamed})
   */
  public SocketAddress localAddress() {
    return address(false);
  }

  /**
   * The address of the connected peer ({@code getpeername}).
   *
   * @return the address ({@link SocketAddress.UnixUnnamed} for a Unix client that did not bind)
   * @throws OsException ENOTCONN if not connected
   */
  public SocketAddress peerAddress() {
    return address(true);
  }

  private SocketAddress address(boolean peer) {
    MemorySegment scratch = Libc.scratch();
    int n = acquire();
    try {
      OsException.check(name(n, scratch, peer), peer ? "getpeername" : "getsockname", n);
    } finally {
      release();
    }
    return Sockaddr.decode(scratch, scratch.get(INT, Sockaddr.LENGTH_OFFSET));
  }

  /** getsockname / getpeername into {@code scratch}, the length after the address. */
  private static int name(int n, MemorySegment scratch, boolean peer) {
    MemorySegment length = scratch.asSlice(Sockaddr.LENGTH_OFFSET, 4);
    length.set(INT, 0, Sockaddr.STORAGE_SIZE);
    return peer
        ? Libc.GETPEERNAME.call(n, scratch, length)
        : Libc.GETSOCKNAME.call(n, scratch, length);
  }

  /**
   * Ends one or both directions of a connection ({@code shutdown}); the descriptor stays open.
   *
   * @param how which direction
   * @throws OsException ENOTCONN if not connected
   */
  public void shutdown(Shutdown how) {
    int n = acquire();
    try {
      OsException.check(Libc.SHUTDOWN.call(n, how.value), how.call, n);
    } finally {
      release();
    }
  }

  /**
   * Sends bytes once ({@code send}, retrying on EINTR); on a stream a short send is possible.
   * {@link #MSG_NOSIGNAL} is always added.
   *
   * @param buffer the bytes
   * @param flags 0 or {@link #MSG_MORE}, {@link #MSG_DONTWAIT}, ...
   * @return the number of bytes sent, or {@link Fd#WOULD_BLOCK}
   * @throws OsException EPIPE once the peer has closed, ECONNRESET, ...
   */
  public long send(MemorySegment buffer, int flags) {
    if (!buffer.isNative()) {
      return send(HeapTransfer.writeWindow(buffer), flags);
    }
    int n = acquire();
    try {
      long rc;
      do {
        rc = Libc.SEND.call(n, buffer, buffer.byteSize(), flags | MSG_NOSIGNAL);
      } while (rc == -Errno.EINTR);
      return OsException.checkTransfer(rc, "send", n, null);
    } finally {
      release();
    }
  }

  /**
   * {@link #send} with no flags: a write that reports a closed peer as EPIPE, never SIGPIPE.
   *
   * @param buffer the bytes
   * @return the number of bytes sent, or {@link Fd#WOULD_BLOCK}
   */
  @Override
  public long write(MemorySegment buffer) {
    return send(buffer, 0);
  }

  /**
   * Receives bytes once ({@code recv}, retrying on EINTR).
   *
   * @param buffer where the bytes go; up to its size is received
   * @param flags 0 or {@link #MSG_PEEK}, {@link #MSG_DONTWAIT}, {@link #MSG_TRUNC}, ...
   * @return the number of bytes received, 0 at end of stream (the peer shut down or closed), or
   *     {@link Fd#WOULD_BLOCK}
   * @throws OsException ECONNRESET, ...
   * @throws IllegalArgumentException if {@code buffer} is read-only
   */
  public long receive(MemorySegment buffer, int flags) {
    writable(buffer);
    if (!buffer.isNative()) {
      MemorySegment window = HeapTransfer.readWindow(buffer);
      return HeapTransfer.deliver(window, buffer, receive(window, flags));
    }
    int n = acquire();
    try {
      long rc;
      do {
        rc = Libc.RECV.call(n, buffer, buffer.byteSize(), flags);
      } while (rc == -Errno.EINTR);
      return OsException.checkTransfer(rc, "recv", n, null);
    } finally {
      release();
    }
  }

  /**
   * Sends one datagram to {@code to} ({@code sendto}, retrying on EINTR; {@link #MSG_NOSIGNAL}
   * always added). The address is encoded in a per-thread buffer: nothing is allocated.
   *
   * @param buffer the datagram
   * @param flags 0 or {@link #MSG_DONTWAIT}, ...
   * @param to the destination
   * @return the number of bytes sent, or {@link Fd#WOULD_BLOCK}
   * @throws OsException naming the destination: EMSGSIZE for a datagram too large, ECONNREFUSED or
   *     ENOENT for a Unix destination with no socket, EACCES for a broadcast without {@link
   *     SocketOption#BROADCAST}, ...
   */
  public long sendTo(MemorySegment buffer, int flags, SocketAddress to) {
    if (!buffer.isNative()) {
      return sendTo(HeapTransfer.writeWindow(buffer), flags, to);
    }
    MemorySegment sockaddr = Libc.scratch();
    int length = Sockaddr.encode(to, sockaddr);
    int n = acquire();
    try {
      long rc;
      do {
        rc = Libc.SENDTO.call(n, buffer, buffer.byteSize(), flags | MSG_NOSIGNAL, sockaddr, length);
      } while (rc == -Errno.EINTR);
      return OsException.checkTransfer(rc, "sendto", n, to);
    } finally {
      release();
    }
  }

  /**
   * Receives one datagram and its sender's address ({@code recvfrom}, retrying on EINTR). The
   * address goes into {@code from} without allocating; a datagram longer than {@code buffer} is cut
   * (its rest is lost) unless {@link #MSG_PEEK} is given.
   *
   * @param buffer where the datagram goes
   * @param flags 0 or {@link #MSG_PEEK}, {@link #MSG_TRUNC}, {@link #MSG_DONTWAIT}, ...
   * @param from receives the sender's address
   * @return the datagram's length (with {@link #MSG_TRUNC}: its full length even if cut), or {@link
   *     Fd#WOULD_BLOCK}
   * @throws IllegalArgumentException if {@code buffer} is read-only
   */
  public long receiveFrom(MemorySegment buffer, int flags, SocketAddressBuffer from) {
    writable(buffer);
    if (!buffer.isNative()) {
      MemorySegment window = HeapTransfer.readWindow(buffer);
      return HeapTransfer.deliver(window, buffer, receiveFrom(window, flags, from));
    }
    int n = acquire();
    try {
      long rc;
      do {
        from.reset(family);
        rc = Libc.RECVFROM.call(n, buffer, buffer.byteSize(), flags, from.address, from.length);
      } while (rc == -Errno.EINTR);
      return OsException.checkTransfer(rc, "recvfrom", n, null);
    } finally {
      release();
    }
  }

  /**
   * Sets an option ({@code setsockopt}).
   *
   * @param option the option
   * @param value its new value
   * @param <T> the option's type
   * @throws OsException ENOPROTOOPT for an option the socket does not have or that is read-only
   *     ({@link SocketOption#ERROR}), EINVAL after it can no longer change
   */
  public <T> void set(SocketOption<T> option, T value) {
    Objects.requireNonNull(value, "value");
    MemorySegment scratch = Libc.scratch();
    scratch.set(INT, 0, option.toInt(value));
    int n = acquire();
    try {
      OsException.check(
          Libc.SETSOCKOPT.call(n, option.level, option.option, scratch, 4),
          "setsockopt(" + option.name() + ")",
          n);
    } finally {
      release();
    }
  }

  /**
   * Reads an option ({@code getsockopt}).
   *
   * @param option the option
   * @param <T> the option's type
   * @return its value
   * @throws OsException ENOPROTOOPT for an option the socket does not have
   */
  public <T> T get(SocketOption<T> option) {
    int n = acquire();
    try {
      return option.fromInt(getInt(n, option));
    } finally {
      release();
    }
  }

  private static int getInt(int n, SocketOption<?> option) {
    MemorySegment scratch = Libc.scratch();
    MemorySegment length = scratch.asSlice(Sockaddr.LENGTH_OFFSET, 4);
    length.set(INT, 0, 4);
    OsException.check(
        Libc.GETSOCKOPT.call(n, option.level, option.option, scratch, length),
        "getsockopt(" + option.name() + ")",
        n);
    return scratch.get(INT, 0);
  }

  /**
   * Joins an IPv4 multicast group ({@code IP_ADD_MEMBERSHIP} with a {@code struct ip_mreqn}), so
   * this datagram socket receives what is sent to the group on its bound port.
   *
   * <pre>{@code
   * udp.bind(SocketAddress.Inet4.any(5353));
   * udp.joinMulticastGroup((Inet4Address) InetAddress.ofLiteral("224.0.0.251"), 0);
   * }</pre>
   *
   * @param group a multicast address (224.0.0.0/4)
   * @param interfaceIndex the interface to join on, or 0 to let the routing table choose
   * @throws OsException EINVAL if {@code group} is not a multicast address, ENODEV for no such
   *     interface (or no route for the group)
   */
  public void joinMulticastGroup(Inet4Address group, int interfaceIndex) {
    MemorySegment request = Libc.scratch();
    MemorySegment.copy(group.getAddress(), 0, request, ValueLayout.JAVA_BYTE, 0, 4);
    request.set(INT, 4, 0); // imr_address: INADDR_ANY, the index decides
    request.set(INT, 8, interfaceIndex);
    int n = acquire();
    try {
      int rc = Libc.SETSOCKOPT.call(n, IPPROTO_IP, IP_ADD_MEMBERSHIP, request, 12);
      if (rc < 0) {
        throw new OsException(
            "setsockopt(IP_ADD_MEMBERSHIP)",
            "fd " + n + ", group " + group.getHostAddress() + ", interface " + interfaceIndex,
            -rc);
      }
    } finally {
      release();
    }
  }

  /**
   * Chooses the interface this socket sends IPv4 multicast datagrams through ({@code
   * IP_MULTICAST_IF} with a {@code struct ip_mreqn}). Without it the routing table chooses, so on a
   * host whose default route leaves through a network card, a group joined on the loopback
   * interface only hears senders that chose it here.
   *
   * <pre>{@code
   * int lo = NetworkInterface.getByName("lo").getIndex();
   * sender.setMulticastInterface(lo);
   * sender.sendTo(datagram, 0, group); // reaches the sockets that joined the group on lo
   * }</pre>
   *
   * @param interfaceIndex the interface, or 0 to let the routing table choose again
   * @throws OsException EADDRNOTAVAIL for no such interface, EOPNOTSUPP on a Unix socket
   */
  public void setMulticastInterface(int interfaceIndex) {
    MemorySegment request = Libc.scratch();
    request.set(INT, 0, 0); // imr_multiaddr: unused here
    request.set(INT, 4, 0); // imr_address: INADDR_ANY, the index decides
    request.set(INT, 8, interfaceIndex);
    int n = acquire();
    try {
      int rc = Libc.SETSOCKOPT.call(n, IPPROTO_IP, IP_MULTICAST_IF, request, 12);
      if (rc < 0) {
        throw new OsException(
            "setsockopt(IP_MULTICAST_IF)", "fd " + n + ", interface " + interfaceIndex, -rc);
      }
    } finally {
      release();
    }
  }

  private static void writable(MemorySegment buffer) {
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException("cannot receive into a read-only segment: " + buffer);
    }
  }

  private static String typeName(int type) {
    return type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM";
  }

  @Override
  public String toString() {
    return "Socket(" + family + " " + typeName(type) + ", " + fd + ")";
  }
}
