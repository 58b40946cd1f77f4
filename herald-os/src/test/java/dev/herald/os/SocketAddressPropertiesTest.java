package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every address survives the kernel struct and its text form. */
class SocketAddressPropertiesTest {
  private final MemorySegment sockaddr = Arena.ofAuto().allocate(Sockaddr.STORAGE_SIZE, 8);

  @Property(tries = 2_000)
  void encodeThenDecodeIsIdentity(@ForAll("addresses") SocketAddress address) {
    sockaddr.fill((byte) 0x5A); // stale bytes must not leak into the result
    assertEquals(address, Sockaddr.decode(sockaddr, Sockaddr.encode(address, sockaddr)));
  }

  @Property(tries = 2_000)
  void parseReadsWhatToStringWrites(@ForAll("textual") SocketAddress address) {
    assertEquals(address, SocketAddress.parse(address.toString()));
  }

  @Provide
  Arbitrary<SocketAddress> addresses() {
    return Arbitraries.oneOf(
        inet4(),
        Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.longs(),
                ports(),
                Arbitraries.integers(),
                Arbitraries.integers())
            .as(SocketAddress.Inet6::new),
        paths(),
        names(Arbitraries.strings().ofMaxLength(60)),
        Arbitraries.just(new SocketAddress.UnixUnnamed()));
  }

  /** What has a text form: flow info is not written, and abstract names without NULs. */
  @Provide
  Arbitrary<SocketAddress> textual() {
    return Arbitraries.oneOf(
        inet4(),
        Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.longs(),
                ports(),
                Arbitraries.integers().between(0, 3).map(i -> i == 3 ? -1 : i))
            .as((high, low, port, scope) -> new SocketAddress.Inet6(high, low, port, 0, scope)),
        paths(),
        names(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60)));
  }

  private static Arbitrary<SocketAddress> inet4() {
    return Combinators.combine(Arbitraries.integers(), ports()).as(SocketAddress.Inet4::new);
  }

  private static Arbitrary<SocketAddress> paths() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars('.', '-', '_', 'é')
        .ofMinLength(1)
        .ofMaxLength(30)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(parts -> new SocketAddress.UnixPath(Path.of("/" + String.join("/", parts))));
  }

  private static Arbitrary<SocketAddress> names(Arbitrary<String> names) {
    return names
        .filter(n -> n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 107)
        .map(SocketAddress.UnixAbstract::new);
  }

  private static Arbitrary<Integer> ports() {
    return Arbitraries.integers().between(0, 65535);
  }
}
