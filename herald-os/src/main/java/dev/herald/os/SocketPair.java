package dev.herald.os;

import dev.herald.os.internal.FdPair;
import dev.herald.os.internal.Libc;

/**
 * Two connected Unix-domain sockets ({@code socketpair(AF_UNIX)}): what one end writes, the other
 * reads.
 *
 * <pre>{@code
 * try (SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK)) {
 *   pair.first().write(request);
 *   pair.second().read(buffer);
 * }
 * }</pre>
 */
public final class SocketPair implements AutoCloseable {
  /** {@code SOCK_NONBLOCK} on both ends. */
  public static final int NONBLOCK = Fd.O_NONBLOCK;

  private static final int AF_UNIX = 1;

  /** The socket type. */
  public enum Type {
    /** A byte stream ({@code SOCK_STREAM}). */
    STREAM(1),
    /** Datagrams ({@code SOCK_DGRAM}). */
    DATAGRAM(2),
    /** Datagrams in a connection ({@code SOCK_SEQPACKET}). */
    SEQPACKET(5);

    private final int value;

    Type(int value) {
      this.value = value;
    }
  }

  private final OwnedFd first;
  private final OwnedFd second;

  private SocketPair(OwnedFd first, OwnedFd second) {
    this.first = first;
    this.second = second;
  }

  /**
   * Creates a connected pair; close-on-exec is always set.
   *
   * @param type the socket type
   * @param flags 0 or {@link #NONBLOCK}
   * @return the pair
   */
  public static SocketPair create(Type type, int flags) {
    FdPair pair =
        FdPair.open(
            "socketpair",
            fds -> Libc.SOCKETPAIR.call(AF_UNIX, type.value | flags | Fd.O_CLOEXEC, 0, fds));
    return new SocketPair(pair.first, pair.second);
  }

  /**
   * One end.
   *
   * @return the first socket, owned by this pair
   */
  public OwnedFd first() {
    return first;
  }

  /**
   * The other end.
   *
   * @return the second socket, owned by this pair
   */
  public OwnedFd second() {
    return second;
  }

  /** Closes both ends (each at most once). */
  @Override
  public void close() {
    try {
      first.close();
    } finally {
      second.close();
    }
  }
}
