package dev.herald.tools;

import picocli.CommandLine.TypeConversionException;

/**
 * A {@code HOST[:PORT]} argument: a name, an IPv4 address, or an IPv6 address in brackets ({@code
 * [::1]:8443}); the port falls back to a default.
 */
record HostAndPort(String host, int port) {
  /** Parses {@code value}; a bad value is a usage error naming it. */
  static HostAndPort parse(String value, int defaultPort) {
    String host = value.strip();
    String port = null;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new TypeConversionException("'" + value + "' opens an IPv6 bracket it never closes");
      }
      String rest = host.substring(close + 1);
      host = host.substring(1, close);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new TypeConversionException("'" + value + "' has text after the IPv6 address");
        }
        port = rest.substring(1);
      }
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      port = host.substring(host.indexOf(':') + 1);
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.isEmpty()) {
      throw new TypeConversionException("'" + value + "' names no host");
    }
    return new HostAndPort(host, port == null ? defaultPort : new PortNumber().convert(port));
  }

  /**
   * Whether {@code host} is a name (which TLS sends as SNI) rather than an IPv4 or IPv6 address.
   */
  static boolean isName(String host) {
    return !host.isEmpty() && !host.contains(":") && !host.matches("[0-9.]+");
  }
}
