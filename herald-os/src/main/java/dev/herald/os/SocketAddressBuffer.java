package dev.herald.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable native {@code struct sockaddr_storage} that {@link Socket#receiveFrom} fills with the
 * sender's address, so receiving a datagram allocates nothing; {@link #address()} decodes it only
 * when asked. Confine one to a thread (or hand it over with a happens-before edge).
 *
 * <pre>{@code
 * SocketAddressBuffer from = new SocketAddressBuffer(); // once per loop
 * long n = socket.receiveFrom(buffer, 0, from);
 * if (n >= 0) {
 *   socket.sendTo(reply, 0, from.address());
 * }
 * }</pre>
 */
public final class SocketAddressBuffer {
  /** The address bytes; the kernel writes at most {@code length} of them. */
  final MemorySegment address;

  /** The {@code socklen_t}: in, the room; out, the address's real length. */
  final MemorySegment length;

  /** The family of the socket that filled it: Unix reports an unbound sender with length 0. */
  private Socket.Family family;

  /** Creates an empty buffer (memory is freed by the garbage collector). */
  public SocketAddressBuffer() {
    MemorySegment storage = Arena.ofAuto().allocate(Sockaddr.STORAGE_SIZE + 8, 8);
    this.address = storage.asSlice(0, Sockaddr.STORAGE_SIZE);
    this.length = storage.asSlice(Sockaddr.LENGTH_OFFSET, 4);
  }

  /** Offers the whole storage to the kernel before a call on a socket of {@code family}. */
  void reset(Socket.Family family) {
    this.family = family;
    length.set(ValueLayout.JAVA_INT, 0, Sockaddr.STORAGE_SIZE);
  }

  /**
   * The address the last {@link Socket#receiveFrom} stored.
   *
   * @return a new value ({@link SocketAddress.UnixUnnamed} for a Unix sender that did not bind), or
   *     null if nothing was stored yet or the socket reported no address (a stream socket)
   */
  public SocketAddress address() {
    int n = length.get(ValueLayout.JAVA_INT, 0);
    if (n == 0 && family == Socket.Family.UNIX) {
      return new SocketAddress.UnixUnnamed();
    }
    return Sockaddr.decode(address, n);
  }

  @Override
  public String toString() {
    return String.valueOf(address());
  }
}
