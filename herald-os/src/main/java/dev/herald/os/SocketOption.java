package dev.herald.os;

/**
 * A socket option that {@link Socket#set} and {@link Socket#get} read and write as a typed value
 * ({@code setsockopt} / {@code getsockopt} with an {@code int}).
 *
 * <pre>{@code
 * listener.set(SocketOption.REUSE_ADDRESS, true);
 * client.set(SocketOption.TCP_NO_DELAY, true);
 * int sendBuffer = client.get(SocketOption.SEND_BUFFER);
 * }</pre>
 *
 * @param <T> {@link Boolean} for on/off options, {@link Integer} for sizes and codes
 */
public final class SocketOption<T> {
  private static final int SOL_SOCKET = 1;
  private static final int IPPROTO_IP = 0;
  private static final int IPPROTO_TCP = 6;
  private static final int IPPROTO_IPV6 = 41;

  /** {@code SO_REUSEADDR}: bind a listening port again while old connections are in TIME_WAIT. */
  public static final SocketOption<Boolean> REUSE_ADDRESS =
      new SocketOption<>("SO_REUSEADDR", SOL_SOCKET, 2, Boolean.class);

  /** {@code SO_REUSEPORT}: several sockets bound to one port share its connections. */
  public static final SocketOption<Boolean> REUSE_PORT =
      new SocketOption<>("SO_REUSEPORT", SOL_SOCKET, 15, Boolean.class);

  /** {@code SO_KEEPALIVE}: probe an idle TCP connection so a dead peer is noticed. */
  public static final SocketOption<Boolean> KEEP_ALIVE =
      new SocketOption<>("SO_KEEPALIVE", SOL_SOCKET, 9, Boolean.class);

  /** {@code SO_BROADCAST}: allow UDP datagrams to a broadcast address. */
  public static final SocketOption<Boolean> BROADCAST =
      new SocketOption<>("SO_BROADCAST", SOL_SOCKET, 6, Boolean.class);

  /**
   * {@code SO_RCVBUF}: the receive buffer size in bytes. The kernel doubles the value set (for its
   * bookkeeping) and reports the doubled value.
   */
  public static final SocketOption<Integer> RECEIVE_BUFFER =
      new SocketOption<>("SO_RCVBUF", SOL_SOCKET, 8, Integer.class);

  /**
   * {@code SO_SNDBUF}: the send buffer size in bytes; doubled by the kernel like the receive one.
   */
  public static final SocketOption<Integer> SEND_BUFFER =
      new SocketOption<>("SO_SNDBUF", SOL_SOCKET, 7, Integer.class);

  /**
   * {@code SO_ERROR} (read-only): the pending error, cleared by reading it; 0 if none. {@link
   * Socket#finishConnect()} reads it for you.
   */
  public static final SocketOption<Integer> ERROR =
      new SocketOption<>("SO_ERROR", SOL_SOCKET, 4, Integer.class);

  /** {@code TCP_NODELAY}: send small segments at once instead of coalescing them (Nagle). */
  public static final SocketOption<Boolean> TCP_NO_DELAY =
      new SocketOption<>("TCP_NODELAY", IPPROTO_TCP, 1, Boolean.class);

  /**
   * {@code IPV6_V6ONLY}: an IPv6 socket accepts IPv6 only, not IPv4-mapped peers; set before bind.
   */
  public static final SocketOption<Boolean> IPV6_ONLY =
      new SocketOption<>("IPV6_V6ONLY", IPPROTO_IPV6, 26, Boolean.class);

  /**
   * {@code IP_MULTICAST_LOOP}: IPv4 multicast datagrams this socket sends are also delivered to the
   * local sockets that joined the group (on by default).
   */
  public static final SocketOption<Boolean> MULTICAST_LOOP =
      new SocketOption<>("IP_MULTICAST_LOOP", IPPROTO_IP, 34, Boolean.class);

  /**
   * {@code IP_MULTICAST_TTL}: how many routers an IPv4 multicast datagram may cross, 0 to 255 (1 by
   * default: the local network only; 0: this host only).
   */
  public static final SocketOption<Integer> MULTICAST_TTL =
      new SocketOption<>("IP_MULTICAST_TTL", IPPROTO_IP, 33, Integer.class);

  private final String name;
  final int level;
  final int option;
  private final Class<T> type;

  private SocketOption(String name, int level, int option, Class<T> type) {
    this.name = name;
    this.level = level;
    this.option = option;
    this.type = type;
  }

  /**
   * The C name of the option.
   *
   * @return e.g. {@code "SO_REUSEADDR"}
   */
  public String name() {
    return name;
  }

  /** The value as the C {@code int} the kernel takes. */
  int toInt(T value) {
    return value instanceof Boolean on ? (on ? 1 : 0) : (Integer) value;
  }

  /** The kernel's {@code int} as the option's type. */
  T fromInt(int value) {
    return type.cast(type == Boolean.class ? Boolean.valueOf(value != 0) : Integer.valueOf(value));
  }

  @Override
  public String toString() {
    return name;
  }
}
