package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Text forms, validation and the kernel's struct layouts of {@link SocketAddress}. */
class SocketAddressTest {
  private final MemorySegment sockaddr = Arena.ofAuto().allocate(Sockaddr.STORAGE_SIZE, 8);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:40123",
        "0.0.0.0:0",
        "255.255.255.255:65535",
        "[::1]:80",
        "[::]:0",
        "[fe80::1%2]:8080",
        "[::ffff:1.2.3.4]:5",
        "[2001:db8::8:800:200c:417a]:443",
        "/run/x.sock",
        "./relative.sock",
        "@name",
        "@with spaces/and:colons",
        "@"
      })
  void textFormsRoundTrip(String text) {
    assertEquals(text, SocketAddress.parse(text).toString());
  }

  @ParameterizedTest
  @CsvSource({
    "localhost:80, 127.0.0.1:80",
    "LOCALHOST:1, 127.0.0.1:1",
    "[FE80::A]:7, [fe80::a]:7",
    "[0:0:0:0:0:0:0:1]:9, [::1]:9",
    "1.2.3.4:080, 1.2.3.4:80"
  })
  void textIsNormalised(String text, String normal) {
    assertEquals(normal, SocketAddress.parse(text).toString());
  }

  @Test
  void parsedValuesHaveTheirFields() {
    assertEquals(
        new SocketAddress.Inet4(0x7F000001, 40123), SocketAddress.parse("127.0.0.1:40123"));
    assertEquals(SocketAddress.Inet6.loopback(80), SocketAddress.parse("[::1]:80"));
    assertEquals(
        new SocketAddress.Inet6(0xFE80L << 48, 1, 80, 0, 1),
        SocketAddress.parse("[fe80::1%lo]:80"));
    assertEquals(
        new SocketAddress.UnixPath(Path.of("/run/x.sock")), SocketAddress.parse("/run/x.sock"));
    assertEquals(new SocketAddress.UnixAbstract("name"), SocketAddress.parse("@name"));
    assertEquals(new SocketAddress.UnixPath(Path.of("x.sock")), SocketAddress.unix("x.sock"));
    assertEquals(new SocketAddress.UnixAbstract("x"), SocketAddress.unix("@x"));
    assertEquals(Socket.Family.INET, SocketAddress.parse("1.2.3.4:5").family());
    assertEquals(Socket.Family.INET6, SocketAddress.parse("[::]:5").family());
    assertEquals(Socket.Family.UNIX, SocketAddress.parse("@x").family());
    assertEquals(Socket.Family.UNIX, new SocketAddress.UnixUnnamed().family());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                  | expected HOST:PORT",
        "127.0.0.1           | expected HOST:PORT",
        "127.0.0.1:          | the port must be a number from 0 to 65535",
        "127.0.0.1:65536     | port 65536 is outside 0..65535",
        "127.0.0.1:-1        | the port must be a number from 0 to 65535",
        "127.0.0.1:+80       | the port must be a number from 0 to 65535",
        "127.0.0.1:123456    | the port must be a number from 0 to 65535",
        "127.0.0.1:http      | the port must be a number from 0 to 65535",
        "256.1.1.1:80        | '256.1.1.1' is not an IPv4 address",
        "01.2.3.4:80         | '01.2.3.4' is not an IPv4 address",
        "1.2.3:80            | '1.2.3' is not an IPv4 address",
        ":80                 | '' is not an IPv4 address",
        "::1:80              | an IPv6 address needs brackets: [::1]:80",
        "[::1]80             | an IPv6 address is written [ADDRESS]:PORT",
        "[::1]               | an IPv6 address is written [ADDRESS]:PORT",
        "[::1:80             | an IPv6 address is written [ADDRESS]:PORT",
        "[zz::1]:80          | 'zz::1' is not an IPv6 address",
        "[1.2.3.4]:80        | '1.2.3.4' is not an IPv6 address",
        "[::1]:99999         | port 99999 is outside 0..65535",
        "[fe80::1%]:80       | '' is neither a scope id nor a network interface",
        "[fe80::1%nosuchif0]:80 | 'nosuchif0' is neither a scope id nor a network interface",
        "[fe80::1%4294967296]:80 | '4294967296' is neither a scope id nor a network interface",
        "host.example:80     | 'host.example' is a host name: use SocketAddress.resolve",
        "bad host!:80        | 'bad host!' is neither an IPv4 address nor a host name",
      })
  void malformedTextIsRefusedWithTheReason(String text, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SocketAddress.parse(text));
    assertTrue(
        e.getMessage().startsWith("not a socket address: '" + text + "': " + reason),
        e.getMessage());
  }

  @Test
  void aNulInsideALiteralIsNotCutShort() {
    assertThrows(IllegalArgumentException.class, () -> SocketAddress.parse("1.2.3.4\0junk:80"));
    assertThrows(IllegalArgumentException.class, () -> SocketAddress.parse("[::1\0x]:80"));
  }

  @Test
  void portsOutOfRangeAreRefusedByTheRecords() {
    for (int bad : new int[] {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      String expected = "port " + bad + " is outside 0..65535";
      assertEquals(
          expected,
          assertThrows(IllegalArgumentException.class, () -> new SocketAddress.Inet4(0, bad))
              .getMessage());
      assertEquals(
          expected,
          assertThrows(
                  IllegalArgumentException.class, () -> new SocketAddress.Inet6(0, 0, bad, 0, 0))
              .getMessage());
    }
    assertEquals(65535, new SocketAddress.Inet4(0, 65535).port());
  }

  @Test
  void unixPathsAndNamesAreLimitedTo107Bytes() {
    String longest = "/" + "p".repeat(106);
    assertEquals(longest, SocketAddress.unix(longest).toString());
    IllegalArgumentException path =
        assertThrows(IllegalArgumentException.class, () -> SocketAddress.unix(longest + "p"));
    assertTrue(
        path.getMessage().contains("is 108 bytes long, the limit is 107"), path.getMessage());
    // The limit counts UTF-8 bytes, not characters: 54 two-byte characters are 108 bytes.
    assertThrows(IllegalArgumentException.class, () -> SocketAddress.unix("/" + "é".repeat(54)));
    String longestUtf8 = "/" + "é".repeat(53); // 107 bytes
    assertEquals(longestUtf8, SocketAddress.unix(longestUtf8).toString());

    String name = "n".repeat(107);
    assertEquals("@" + name, SocketAddress.unix("@" + name).toString());
    IllegalArgumentException abstractName =
        assertThrows(IllegalArgumentException.class, () -> SocketAddress.unix("@" + name + "n"));
    assertTrue(
        abstractName.getMessage().contains("is 108 bytes long, the limit is 107"),
        abstractName.getMessage());

    assertThrows(IllegalArgumentException.class, () -> SocketAddress.unix(""));
    assertThrows(IllegalArgumentException.class, () -> new SocketAddress.UnixPath(Path.of("")));
  }

  @Test
  void inet4EncodesAsSockaddrIn() {
    int length = Sockaddr.encode(SocketAddress.parse("127.0.0.1:4660"), sockaddr);
    assertEquals(16, length);
    assertArrayEquals(
        new byte[] {2, 0, 0x12, 0x34, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, bytes(length));
  }

  @Test
  void inet6EncodesAsSockaddrIn6() {
    SocketAddress.Inet6 address = new SocketAddress.Inet6(0xFE80L << 48, 1, 443, 0x12345, 3);
    int length = Sockaddr.encode(address, sockaddr);
    assertEquals(28, length);
    assertArrayEquals(
        new byte[] {
          10,
          0,
          0x01,
          (byte) 0xBB, // family (host order), port (network order)
          0,
          1,
          0x23,
          0x45, // flow info (network order)
          (byte) 0xFE,
          (byte) 0x80,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          1, // address
          3,
          0,
          0,
          0 // scope id (host order)
        },
        bytes(length));
    assertEquals(address, Sockaddr.decode(sockaddr, length));
  }

  @Test
  void unixPathEncodesNulTerminated() {
    int length = Sockaddr.encode(SocketAddress.unix("/a/b"), sockaddr);
    assertEquals(2 + 4 + 1, length);
    assertArrayEquals(new byte[] {1, 0, '/', 'a', '/', 'b', 0}, bytes(length));
  }

  @Test
  void abstractNameEncodesWithALeadingNulAndItsExactLength() {
    sockaddr.fill((byte) 0x55); // no terminator may be relied on
    int length = Sockaddr.encode(SocketAddress.unix("@ab"), sockaddr);
    assertEquals(2 + 1 + 2, length);
    assertArrayEquals(new byte[] {1, 0, 0, 'a', 'b'}, bytes(length));
    assertEquals(new SocketAddress.UnixAbstract("ab"), Sockaddr.decode(sockaddr, length));
    // A NUL inside an abstract name is part of it.
    SocketAddress withNul = new SocketAddress.UnixAbstract("a\0b");
    assertEquals(withNul, Sockaddr.decode(sockaddr, Sockaddr.encode(withNul, sockaddr)));
  }

  @Test
  void nonAsciiPathsAndNamesEncodeAsUtf8() {
    SocketAddress path = SocketAddress.unix("/tmp/é.sock");
    int length = Sockaddr.encode(path, sockaddr);
    assertEquals(2 + 12 + 1, length);
    assertEquals(path, Sockaddr.decode(sockaddr, length));
    SocketAddress name = SocketAddress.unix("@名前");
    assertEquals(name, Sockaddr.decode(sockaddr, Sockaddr.encode(name, sockaddr)));
  }

  @Test
  void unnamedUnixIsTheFamilyAlone() {
    assertEquals(2, Sockaddr.encode(new SocketAddress.UnixUnnamed(), sockaddr));
    assertEquals(new SocketAddress.UnixUnnamed(), Sockaddr.decode(sockaddr, 2));
    assertEquals("(unnamed)", new SocketAddress.UnixUnnamed().toString());
    assertNull(Sockaddr.decode(sockaddr, 0));
  }

  @Test
  void decodingAPathStopsAtItsNul() {
    Sockaddr.encode(SocketAddress.unix("/x"), sockaddr);
    assertEquals(SocketAddress.unix("/x"), Sockaddr.decode(sockaddr, 110)); // length of the struct
  }

  @Test
  void decodingAnUnknownFamilyIsRefused() {
    sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) 16); // AF_NETLINK
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Sockaddr.decode(sockaddr, 12));
    assertEquals("unsupported address family 16", e.getMessage());
  }

  @Test
  void jdkAddressesConvertBothWays() throws Exception {
    SocketAddress v4 = SocketAddress.of(InetAddress.ofLiteral("10.1.2.3"), 7);
    assertEquals("10.1.2.3:7", v4.toString());
    assertEquals(
        InetAddress.ofLiteral("10.1.2.3"),
        assertInstanceOf(SocketAddress.Inet4.class, v4).toInetAddress());
    SocketAddress.Inet6 v6 =
        assertInstanceOf(
            SocketAddress.Inet6.class, SocketAddress.of(InetAddress.ofLiteral("2001:db8::1"), 8));
    assertEquals("[2001:db8::1]:8", v6.toString());
    assertEquals(InetAddress.ofLiteral("2001:db8::1"), v6.toInetAddress());
    Inet6Address scoped = Inet6Address.getByAddress(null, v6.bytes(), 5);
    assertEquals(5, ((SocketAddress.Inet6) SocketAddress.of(scoped, 8)).scopeId());
    assertEquals(
        5,
        ((Inet6Address) new SocketAddress.Inet6(v6.high(), v6.low(), 8, 0, 5).toInetAddress())
            .getScopeId());
    assertInstanceOf(Inet4Address.class, SocketAddress.Inet4.loopback(1).toInetAddress());
    assertThrows(IllegalArgumentException.class, () -> SocketAddress.Inet6.of(new byte[4], 1, 0));
  }

  @Test
  void resolveKnowsLocalhostWithoutTheResolverAndLiteralsToo() throws Exception {
    assertEquals(SocketAddress.Inet4.loopback(80), SocketAddress.resolve("localhost:80"));
    assertEquals(SocketAddress.Inet6.loopback(80), SocketAddress.resolve("[::1]:80"));
    assertThrows(IllegalArgumentException.class, () -> SocketAddress.resolve("localhost:x"));
  }

  private byte[] bytes(int length) {
    return sockaddr.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
  }
}
