package dev.herald.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The kernel's {@code struct sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un}: {@link
 * SocketAddress} values written into and read from native memory (x86-64 / aarch64 Linux layouts),
 * and the C library's text forms of IP addresses ({@code inet_pton}, {@code inet_ntop}).
 */
final class Sockaddr {
  static final int AF_UNIX = 1;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;

  /** {@code sizeof(struct sockaddr_storage)}: room for any address the kernel returns. */
  static final int STORAGE_SIZE = 128;

  /** Where calls through {@link Libc#scratch()} keep the {@code socklen_t} after the address. */
  static final long LENGTH_OFFSET = STORAGE_SIZE;

  /** {@code sizeof(sun_path)}. */
  private static final int SUN_PATH = 108;

  private static final int INET6_ADDRSTRLEN = 46;

  private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT_UNALIGNED;
  private static final ValueLayout.OfShort PORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt NET_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong NET_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private Sockaddr() {}

  /**
   * Writes {@code address} at offset 0 of {@code to} (at least {@link #STORAGE_SIZE} bytes) and
   * returns its length; allocation-free for ASCII paths and names.
   */
  static int encode(SocketAddress address, MemorySegment to) {
    return switch (address) {
      case SocketAddress.Inet4 a -> {
        to.set(FAMILY, 0, (short) AF_INET);
        to.set(PORT, 2, (short) a.port());
        to.set(NET_INT, 4, a.address());
        to.set(NET_LONG, 8, 0L); // sin_zero
        yield 16;
      }
      case SocketAddress.Inet6 a -> {
        to.set(FAMILY, 0, (short) AF_INET6);
        to.set(PORT, 2, (short) a.port());
        to.set(NET_INT, 4, a.flowInfo());
        to.set(NET_LONG, 8, a.high());
        to.set(NET_LONG, 16, a.low());
        to.set(HOST_INT, 24, a.scopeId());
        yield 28;
      }
      case SocketAddress.UnixPath p -> {
        to.set(FAMILY, 0, (short) AF_UNIX);
        int n = putText(to, 2, p.path().toString());
        to.set(ValueLayout.JAVA_BYTE, 2 + n, (byte) 0);
        yield 2 + n + 1;
      }
      case SocketAddress.UnixAbstract a -> {
        to.set(FAMILY, 0, (short) AF_UNIX);
        to.set(ValueLayout.JAVA_BYTE, 2, (byte) 0);
        yield 3 + putText(to, 3, a.name());
      }
      case SocketAddress.UnixUnnamed u -> {
        to.set(FAMILY, 0, (short) AF_UNIX);
        yield 2;
      }
    };
  }

  /**
   * Reads the address the kernel wrote at offset 0 of {@code from} with length {@code length}, or
   * null for length 0 (a call on a connected stream reports no sender).
   *
   * @throws IllegalArgumentException for a family Herald does not create, or a path the kernel
   *     accepted from another program that is longer than {@link SocketAddress#MAX_UNIX_PATH}
   */
  static SocketAddress decode(MemorySegment from, int length) {
    if (length == 0) {
      return null;
    }
    int limit = Math.min(length, STORAGE_SIZE);
    int family = Short.toUnsignedInt(from.get(FAMILY, 0));
    return switch (family) {
      case AF_INET ->
          new SocketAddress.Inet4(from.get(NET_INT, 4), Short.toUnsignedInt(from.get(PORT, 2)));
      case AF_INET6 ->
          new SocketAddress.Inet6(
              from.get(NET_LONG, 8),
              from.get(NET_LONG, 16),
              Short.toUnsignedInt(from.get(PORT, 2)),
              from.get(NET_INT, 4),
              from.get(HOST_INT, 24));
      case AF_UNIX -> decodeUnix(from, limit);
      default -> throw new IllegalArgumentException("unsupported address family " + family);
    };
  }

  private static SocketAddress decodeUnix(MemorySegment from, int limit) {
    if (limit <= 2) {
      return new SocketAddress.UnixUnnamed();
    }
    if (from.get(ValueLayout.JAVA_BYTE, 2) == 0) {
      return new SocketAddress.UnixAbstract(text(from, 3, limit));
    }
    int end = 2;
    while (end < limit && end < 2 + SUN_PATH + 1 && from.get(ValueLayout.JAVA_BYTE, end) != 0) {
      end++;
    }
    return new SocketAddress.UnixPath(Path.of(text(from, 2, end)));
  }

  private static String text(MemorySegment from, int start, int end) {
    return new String(
        from.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
  }

  /** Writes {@code text} in UTF-8 at {@code offset}, returning the byte count; ASCII is copied. */
  private static int putText(MemorySegment to, long offset, String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(utf8, 0, to, ValueLayout.JAVA_BYTE, offset, utf8.length);
        return utf8.length;
      }
      to.set(ValueLayout.JAVA_BYTE, offset + i, (byte) c);
    }
    return n;
  }

  /** An IPv4 literal ({@code inet_pton(AF_INET)}: four decimal numbers), or null. */
  static SocketAddress.Inet4 parseInet4(String host, int port) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment bytes = pton(arena, AF_INET, host);
      return bytes == null ? null : new SocketAddress.Inet4(bytes.get(NET_INT, 0), port);
    }
  }

  /** An IPv6 literal ({@code inet_pton(AF_INET6)}), or null. */
  static SocketAddress.Inet6 parseInet6(String host, int port) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment bytes = pton(arena, AF_INET6, host);
      return bytes == null
          ? null
          : new SocketAddress.Inet6(bytes.get(NET_LONG, 0), bytes.get(NET_LONG, 8), port, 0, 0);
    }
  }

  private static MemorySegment pton(Arena arena, int family, String host) {
    if (host.indexOf('\0') >= 0) {
      return null; // the C function would stop at the NUL and accept a prefix
    }
    MemorySegment bytes = arena.allocate(16, 8);
    return Libc.INET_PTON.call(family, arena.allocateFrom(host), bytes) == 1 ? bytes : null;
  }

  /** The C library's text form of an IPv6 address ({@code inet_ntop}), e.g. {@code ::1}. */
  static String inet6Text(long high, long low) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment bytes = arena.allocate(16, 8);
      bytes.set(NET_LONG, 0, high);
      bytes.set(NET_LONG, 8, low);
      MemorySegment text = arena.allocate(INET6_ADDRSTRLEN);
      Libc.INET_NTOP.call(AF_INET6, bytes, text, INET6_ADDRSTRLEN);
      return text.getString(0);
    }
  }

  /** The index of a network interface ({@code if_nametoindex}), or 0 if there is none. */
  static int interfaceIndex(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      return 0;
    }
    try (Arena arena = Arena.ofConfined()) {
      return Libc.IF_NAMETOINDEX.call(arena.allocateFrom(name));
    }
  }

  /** The JDK address for 4 or 16 bytes. */
  static InetAddress inetAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // unreachable: 4 or 16 bytes
    }
  }
}
