package dev.herald.os;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a socket is bound or connected: an IPv4 or IPv6 address with a port, a Unix socket path, a
 * Unix abstract name, or an unnamed Unix socket. Each is a value (a record) that {@link Socket}
 * encodes into the kernel's {@code struct sockaddr_in}, {@code sockaddr_in6} or {@code sockaddr_un}
 * and decodes back.
 *
 * <p>Text forms, which {@link #parse} reads and {@code toString} writes: {@code 127.0.0.1:40123},
 * {@code [::1]:80} (with an optional {@code %scope} inside the brackets), {@code /run/x.sock} (any
 * text containing a {@code /} is a path; write a relative one as {@code ./x.sock}) and
 * {@code @name} for an abstract name. {@code localhost:PORT} is {@code 127.0.0.1:PORT}. Other host
 * names are looked up only by {@link #resolve}, which may block.
 *
 * <pre>{@code
 * SocketAddress tcp = SocketAddress.parse("127.0.0.1:0");      // Inet4, port 0: any free port
 * SocketAddress v6 = SocketAddress.parse("[::1]:4040");         // Inet6
 * SocketAddress path = SocketAddress.unix("/run/herald.sock");  // UnixPath
 * SocketAddress name = SocketAddress.unix("@herald");           // UnixAbstract
 * try (Socket s = Socket.stream(tcp.family(), Socket.NONBLOCK)) {
 *   s.bind(tcp);
 *   s.localAddress().toString(); // "127.0.0.1:40123"
 * }
 * }</pre>
 *
 * <p>Invalid input (a port outside 0..65535, a path or name too long for {@code sun_path}, text
 * that is no address) is refused with an {@link IllegalArgumentException} that quotes it.
 */
public sealed interface SocketAddress
    permits SocketAddress.Inet4,
        SocketAddress.Inet6,
        SocketAddress.UnixPath,
        SocketAddress.UnixAbstract,
        SocketAddress.UnixUnnamed {
  /** The most bytes of a Unix socket path: {@code sun_path} holds 108 including the NUL. */
  int MAX_UNIX_PATH = 107;

  /** The most bytes of a Unix abstract name: {@code sun_path} holds 108 including the lead NUL. */
  int MAX_UNIX_NAME = 107;

  /**
   * The address family a socket needs to use this address.
   *
   * @return the family
   */
  Socket.Family family();

  /**
   * Reads the text form of an address without any lookup: {@code IPV4:PORT}, {@code [IPV6]:PORT},
   * {@code localhost:PORT}, a path containing {@code /}, or {@code @name}.
   *
   * @param text the address
   * @return the address
   * @throws IllegalArgumentException if {@code text} is not one of those forms, names a host other
   *     than {@code localhost} (use {@link #resolve}), or is out of range
   */
  static SocketAddress parse(String text) {
    try {
      return parse(text, false);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("no lookup was asked for", e); // unreachable
    }
  }

  /**
   * Like {@link #parse}, but a host name other than {@code localhost} is looked up with {@link
   * InetAddress#getByName}, which blocks on the system resolver (DNS) for as long as it takes: do
   * not call it on an event loop thread. The first address the resolver returns is used.
   *
   * @param text the address, e.g. {@code hub.example.org:4040}
   * @return the address
   * @throws UnknownHostException if the resolver does not know the host
   * @throws IllegalArgumentException if {@code text} is malformed
   */
  static SocketAddress resolve(String text) throws UnknownHostException {
    return parse(text, true);
  }

  /**
   * Reads the Unix form of an address, as it follows {@code unix:} in a URI: {@code @name} is an
   * abstract name, anything else a path (relative paths included).
   *
   * @param text the path or {@code @name}
   * @return a {@link UnixPath} or {@link UnixAbstract}
   * @throws IllegalArgumentException if it is empty or too long
   */
  static SocketAddress unix(String text) {
    if (text.startsWith("@")) {
      return new UnixAbstract(text.substring(1));
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty Unix socket path: give a path or @name");
    }
    try {
      return new UnixPath(Path.of(text));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a Unix socket path: '" + text + "'", e);
    }
  }

  /**
   * Converts a JDK address and a port.
   *
   * @param address an {@link Inet4Address} or {@link Inet6Address} (its numeric scope id is kept)
   * @param port 0 to 65535
   * @return an {@link Inet4} or {@link Inet6}
   */
  static SocketAddress of(InetAddress address, int port) {
    return switch (address) {
      case Inet4Address v4 -> new Inet4(ByteBuffer.wrap(v4.getAddress()).getInt(), port);
      case Inet6Address v6 -> Inet6.of(v6.getAddress(), port, v6.getScopeId());
      default -> throw new IllegalArgumentException("not an IP address: " + address);
    };
  }

  /**
   * An IPv4 address and port ({@code struct sockaddr_in}, 16 bytes).
   *
   * @param address the 32-bit address, most significant byte first ({@code 127.0.0.1} is {@code
   *     0x7F000001})
   * @param port 0 to 65535
   */
  record Inet4(int address, int port) implements SocketAddress {
    /**
     * Checks the port.
     *
     * @throws IllegalArgumentException if the port is outside 0..65535
     */
    public Inet4 {
      checkPort(port);
    }

    /**
     * {@code 127.0.0.1} with a port.
     *
     * @param port 0 to 65535 (0: any free port when binding)
     * @return the address
     */
    public static Inet4 loopback(int port) {
      return new Inet4(0x7F000001, port);
    }

    /**
     * {@code 0.0.0.0} (every local address) with a port.
     *
     * @param port 0 to 65535
     * @return the address
     */
    public static Inet4 any(int port) {
      return new Inet4(0, port);
    }

    @Override
    public Socket.Family family() {
      return Socket.Family.INET;
    }

    /**
     * The JDK form of the address (without the port).
     *
     * @return the address
     */
    public Inet4Address toInetAddress() {
      return (Inet4Address) Sockaddr.inetAddress(ByteBuffer.allocate(4).putInt(address).array());
    }

    /** The text form, e.g. {@code 127.0.0.1:40123}. */
    @Override
    public String toString() {
      return (address >>> 24)
          + "."
          + ((address >>> 16) & 0xFF)
          + "."
          + ((address >>> 8) & 0xFF)
          + "."
          + (address & 0xFF)
          + ":"
          + port;
    }
  }

  /**
   * An IPv6 address and port ({@code struct sockaddr_in6}, 28 bytes). The 16 address bytes are two
   * big-endian longs, so the record compares by value and encodes without allocating.
   *
   * @param high the first 8 address bytes, most significant first
   * @param low the last 8 address bytes ({@code ::1} has {@code high == 0, low == 1})
   * @param port 0 to 65535
   * @param flowInfo {@code sin6_flowinfo} (traffic class and flow label), usually 0
   * @param scopeId {@code sin6_scope_id}: the interface index for a link-local address, else 0
   */
  record Inet6(long high, long low, int port, int flowInfo, int scopeId) implements SocketAddress {
    /**
     * Checks the port.
     *
     * @throws IllegalArgumentException if the port is outside 0..65535
     */
    public Inet6 {
      checkPort(port);
    }

    /**
     * An address from its 16 bytes.
     *
     * @param address 16 bytes, network order
     * @param port 0 to 65535
     * @param scopeId the interface index, or 0
     * @return the address
     * @throws IllegalArgumentException if {@code address} is not 16 bytes long
     */
    public static Inet6 of(byte[] address, int port, int scopeId) {
      if (address.length != 16) {
        throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + address.length);
      }
      ByteBuffer bytes = ByteBuffer.wrap(address);
      return new Inet6(bytes.getLong(), bytes.getLong(), port, 0, scopeId);
    }

    /**
     * {@code ::1} with a port.
     *
     * @param port 0 to 65535
     * @return the address
     */
    public static Inet6 loopback(int port) {
      return new Inet6(0, 1, port, 0, 0);
    }

    /**
     * {@code ::} (every local address, IPv4 too unless {@link SocketOption#IPV6_ONLY}) with a port.
     *
     * @param port 0 to 65535
     * @return the address
     */
    public static Inet6 any(int port) {
      return new Inet6(0, 0, port, 0, 0);
    }

    @Override
    public Socket.Family family() {
      return Socket.Family.INET6;
    }

    /**
     * The 16 address bytes.
     *
     * @return a new array, network order
     */
    public byte[] bytes() {
      return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }

    /**
     * The JDK form of the address (without the port; with the scope id if not 0). An IPv4-mapped
     * address ({@code ::ffff:a.b.c.d}) becomes an {@link Inet4Address}, as the JDK decides.
     *
     * @return the address
     */
    public InetAddress toInetAddress() {
      if (scopeId == 0) {
        return Sockaddr.inetAddress(bytes());
      }
      try {
        return Inet6Address.getByAddress(null, bytes(), scopeId);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // unreachable: 16 bytes
      }
    }

    /** The text form, e.g. {@code [::1]:80} or {@code [fe80::1%2]:80} (flow info is not shown). */
    @Override
    public String toString() {
      return "["
          + Sockaddr.inet6Text(high, low)
          + (scopeId == 0 ? "" : "%" + Integer.toUnsignedString(scopeId))
          + "]:"
          + port;
    }
  }

  /**
   * A Unix socket bound to a file system path ({@code struct sockaddr_un}, NUL-terminated). Binding
   * creates the socket file, and closing the socket does not remove it: whoever binds it unlinks it
   * ({@link FileSystemCalls#unlink}).
   *
   * @param path the path, at most {@link #MAX_UNIX_PATH} bytes in UTF-8 (relative paths are
   *     resolved by the kernel against the working directory)
   */
  record UnixPath(Path path) implements SocketAddress {
    /**
     * Checks the length.
     *
     * @throws IllegalArgumentException if the path is empty or longer than {@link #MAX_UNIX_PATH}
     *     bytes
     */
    public UnixPath {
      int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
      if (length == 0) {
        throw new IllegalArgumentException("empty Unix socket path");
      }
      if (length > MAX_UNIX_PATH) {
        throw new IllegalArgumentException(
            "Unix socket path "
                + path
                + " is "
                + length
                + " bytes long, the limit is "
                + MAX_UNIX_PATH
                + ": use a shorter path (e.g. a directory under /run or /tmp)");
      }
    }

    @Override
    public Socket.Family family() {
      return Socket.Family.UNIX;
    }

    /** The text form: the path itself, e.g. {@code /run/x.sock}. */
    @Override
    public String toString() {
      return path.toString();
    }
  }

  /**
   * A Unix socket in the abstract namespace (Linux): no file, the name disappears with the last
   * socket bound to it. Encoded as a leading NUL followed by exactly the name's bytes, not
   * NUL-terminated.
   *
   * @param name the name, at most {@link #MAX_UNIX_NAME} bytes in UTF-8 (a name the kernel reports
   *     that is not UTF-8 is decoded with replacement characters)
   */
  record UnixAbstract(String name) implements SocketAddress {
    /**
     * Checks the length.
     *
     * @throws IllegalArgumentException if the name is longer than {@link #MAX_UNIX_NAME} bytes
     */
    public UnixAbstract {
      int length = name.getBytes(StandardCharsets.UTF_8).length;
      if (length > MAX_UNIX_NAME) {
        throw new IllegalArgumentException(
            "Unix abstract name @"
                + name
                + " is "
                + length
                + " bytes long, the limit is "
                + MAX_UNIX_NAME);
      }
    }

    @Override
    public Socket.Family family() {
      return Socket.Family.UNIX;
    }

    /** The text form, e.g. {@code @name}. */
    @Override
    public String toString() {
      return "@" + name;
    }
  }

  /**
   * An unbound Unix socket (the peer address of a client that did not bind, or {@code bind} with it
   * to have the kernel pick an abstract name: autobind).
   */
  record UnixUnnamed() implements SocketAddress {
    @Override
    public Socket.Family family() {
      return Socket.Family.UNIX;
    }

    /** The text form, {@code (unnamed)}, which {@link #parse} does not read back. */
    @Override
    public String toString() {
      return "(unnamed)";
    }
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  private static SocketAddress parse(String text, boolean lookUp) throws UnknownHostException {
    if (text.startsWith("@") || text.contains("/")) {
      return unix(text);
    }
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw malformed(text, "an IPv6 address is written [ADDRESS]:PORT, e.g. [::1]:80");
      }
      String host = text.substring(1, close);
      int port = port(text, text.substring(close + 2));
      int percent = host.indexOf('%');
      int scope = percent < 0 ? 0 : scope(text, host.substring(percent + 1));
      Inet6 address = Sockaddr.parseInet6(percent < 0 ? host : host.substring(0, percent), port);
      if (address == null) {
        throw malformed(text, "'" + host + "' is not an IPv6 address");
      }
      return new Inet6(address.high(), address.low(), port, 0, scope);
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw malformed(text, "expected HOST:PORT, [IPV6]:PORT, a path with a '/', or @name");
    }
    String host = text.substring(0, colon);
    int port = port(text, text.substring(colon + 1));
    if (host.contains(":")) {
      throw malformed(text, "an IPv6 address needs brackets: [" + host + "]:" + port);
    }
    Inet4 literal = Sockaddr.parseInet4(host, port);
    if (literal != null) {
      return literal;
    }
    if (host.equalsIgnoreCase("localhost")) {
      return Inet4.loopback(port);
    }
    if (host.matches("[0-9.]*")) {
      throw malformed(text, "'" + host + "' is not an IPv4 address (four numbers 0 to 255)");
    }
    if (!host.matches("[A-Za-z0-9._-]+")) {
      throw malformed(text, "'" + host + "' is neither an IPv4 address nor a host name");
    }
    if (!lookUp) {
      throw malformed(
          text,
          "'"
              + host
              + "' is a host name: use SocketAddress.resolve, which may block to look it up");
    }
    return of(InetAddress.getByName(host), port);
  }

  private static int port(String text, String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
      throw malformed(text, "the port must be a number from 0 to 65535");
    }
    int port = Integer.parseInt(digits);
    if (port > 65535) {
      throw malformed(text, "port " + port + " is outside 0..65535");
    }
    return port;
  }

  private static int scope(String text, String scope) {
    if (!scope.isEmpty() && scope.chars().allMatch(Character::isDigit) && scope.length() <= 10) {
      long id = Long.parseLong(scope);
      if (id <= 0xFFFF_FFFFL) {
        return (int) id;
      }
    }
    int index = Sockaddr.interfaceIndex(scope);
    if (index == 0) {
      throw malformed(text, "'" + scope + "' is neither a scope id nor a network interface");
    }
    return index;
  }

  private static IllegalArgumentException malformed(String text, String why) {
    return new IllegalArgumentException("not a socket address: '" + text + "': " + why);
  }
}
