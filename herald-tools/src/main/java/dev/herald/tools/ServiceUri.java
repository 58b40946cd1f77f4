package dev.herald.tools;

import dev.herald.os.SocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where a service listens or connects, as scripts write it: {@code tcp://HOST:PORT}, {@code
 * tls://HOST:PORT}, {@code unix:PATH} or {@code unix:@NAME} (abstract) for streams, {@code
 * udp://HOST:PORT} and {@code unixgram:PATH} or {@code unixgram:@NAME} for message datagrams. HOST
 * is an IPv4 address, an IPv6 address in brackets, {@code localhost} or a host name (looked up
 * once, here).
 *
 * @param scheme the kind of socket
 * @param host the host as written, for TCP, TLS and UDP; empty for Unix sockets
 * @param address the socket address
 */
record ServiceUri(Scheme scheme, String host, SocketAddress address) {
  /** The kinds of socket. */
  enum Scheme {
    TCP("tcp://"),
    TLS("tls://"),
    UNIX("unix:"),
    UDP("udp://"),
    UNIXGRAM("unixgram:");

    final String prefix;

    Scheme(String prefix) {
      this.prefix = prefix;
    }

    /** Whether sockets of this kind carry one message per datagram rather than a stream. */
    boolean isDatagram() {
      return this == UDP || this == UNIXGRAM;
    }

    private boolean isUnix() {
      return this == UNIX || this == UNIXGRAM;
    }
  }

  private static final String FORMS =
      "give tcp://HOST:PORT, tls://HOST:PORT, unix:PATH or unix:@NAME (streams), udp://HOST:PORT,"
          + " unixgram:PATH or unixgram:@NAME (datagrams)";

  /** Reads a URI; a malformed one is an {@link IllegalArgumentException} that quotes it. */
  static ServiceUri parse(String text) {
    for (Scheme scheme : Scheme.values()) {
      if (text.startsWith(scheme.prefix)) {
        String rest = text.substring(scheme.prefix.length());
        return scheme.isUnix() ? unix(scheme, text, rest) : ip(scheme, text, rest);
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a socket URI: " + FORMS);
  }

  private static ServiceUri unix(Scheme scheme, String text, String rest) {
    try {
      return new ServiceUri(scheme, "", SocketAddress.unix(rest));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  private static ServiceUri ip(Scheme scheme, String text, String rest) {
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || rest.endsWith("]")) {
      throw new IllegalArgumentException(
          "'" + text + "' names no port: " + FORMS + " (port 0 picks a free port)");
    }
    try {
      return new ServiceUri(scheme, rest.substring(0, colon), SocketAddress.resolve(rest));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "'" + text + "': unknown host '" + rest.substring(0, colon) + "'", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * The URI of the socket actually bound: the form given, with the real port for TCP, TLS and UDP.
   *
   * @param bound the bound address
   * @return the text, e.g. {@code tcp://127.0.0.1:40123}
   */
  String withAddress(SocketAddress bound) {
    return switch (bound) {
      case SocketAddress.Inet4 v4 -> scheme.prefix + host + ":" + v4.port();
      case SocketAddress.Inet6 v6 -> scheme.prefix + host + ":" + v6.port();
      default -> scheme.prefix + bound;
    };
  }

  /** The port, for TCP, TLS and UDP; -1 for Unix sockets. */
  int port() {
    return switch (address) {
      case SocketAddress.Inet4 v4 -> v4.port();
      case SocketAddress.Inet6 v6 -> v6.port();
      default -> -1;
    };
  }

  @Override
  public String toString() {
    return withAddress(address);
  }

  /** The picocli converter: a malformed URI is a usage error. */
  static final class Converter implements ITypeConverter<ServiceUri> {
    @Override
    public ServiceUri convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
