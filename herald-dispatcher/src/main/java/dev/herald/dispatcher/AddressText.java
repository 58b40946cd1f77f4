package dev.herald.dispatcher;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The address form of typed parameters, as upstream's {@code to_ipv4or6_string}: {@code
 * 192.168.1.5:4040}, {@code [::1]:4040}; the port may be omitted (port 0) and an IPv6 address
 * without a port may be written without brackets. Only literal addresses: a name is never resolved.
 *
 * <pre>{@code
 * InetSocketAddress a = AddressText.parse("[::1]:4041");
 * AddressText.format(a);  // "[::1]:4041"
 * }</pre>
 */
public final class AddressText {
  private AddressText() {}

  /**
   * Writes an address with its port.
   *
   * @param address the address; must not be unresolved
   * @return {@code a.b.c.d:port} or {@code [v6]:port}
   */
  public static String format(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) {
      throw new IllegalArgumentException(
          "address " + address + " is unresolved; only IP addresses can be sent");
    }
    String host =
        ip instanceof Inet6Address ? "[" + compressed(ip.getAddress()) + "]" : ip.getHostAddress();
    return host + ":" + address.getPort();
  }

  /** RFC 5952 text: lower-case groups without leading zeros, the longest zero run as "::". */
  private static String compressed(byte[] bytes) {
    int[] groups = new int[8];
    for (int g = 0; g < 8; g++) {
      groups[g] = ((bytes[2 * g] & 0xFF) << 8) | (bytes[2 * g + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not compressed
    for (int g = 0; g < 8; ) {
      if (groups[g] != 0) {
        g++;
        continue;
      }
      int start = g;
      while (g < 8 && groups[g] == 0) {
        g++;
      }
      if (g - start > bestLength) {
        bestStart = start;
        bestLength = g - start;
      }
    }
    StringBuilder text = new StringBuilder(39);
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        text.append("::");
        g += bestLength - 1;
        continue;
      }
      if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[g]));
    }
    return text.toString();
  }

  /**
   * Whether the text is a literal address of this form.
   *
   * @param text the text
   * @return true if {@link #parse} accepts it
   */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Parses a literal address with an optional port.
   *
   * @param text the text
   * @return the address (port 0 when absent)
   * @throws IllegalArgumentException when the text is not a literal address
   */
  public static InetSocketAddress parse(String text) {
    String host;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("\"" + text + "\" has no closing ']'");
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("\"" + text + "\": expected ':' after ']'");
        }
        port = text.substring(close + 2);
      }
    } else if (text.indexOf(':') != text.lastIndexOf(':')) {
      host = text; // bare IPv6, no port
    } else {
      int colon = text.indexOf(':');
      host = colon < 0 ? text : text.substring(0, colon);
      port = colon < 0 ? null : text.substring(colon + 1);
    }
    InetAddress ip = InetAddress.ofLiteral(host);
    int portNumber = 0;
    if (port != null) {
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(MessageNames::isDigit)) {
        throw new IllegalArgumentException("\"" + text + "\" has an invalid port");
      }
      portNumber = Integer.parseInt(port);
      if (portNumber > 65535) {
        throw new IllegalArgumentException("\"" + text + "\" has a port above 65535");
      }
    }
    return new InetSocketAddress(ip, portNumber);
  }
}
