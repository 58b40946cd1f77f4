package dev.herald.dispatcher;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Serialises messages to UTF-8 bytes in a buffer it reuses: the string form exactly as upstream's
 * {@code to_message()}, and a JSON form that is always valid JSON. One writer per thread; each
 * {@code write} call replaces the previous content.
 *
 * <pre>{@code
 * MessageWriter writer = new MessageWriter();
 * writer.writeString(message).append('\n');        // a line for a stream transport
 * channel.write(ByteBuffer.wrap(writer.buffer(), 0, writer.length()));
 * }</pre>
 */
public final class MessageWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_ESCAPES = new byte[128];
  private static final byte[] VALUE_ESCAPES = escapes("\\\\\nn\rr");
  private static final byte[] QUOTED_VALUE_ESCAPES = escapes("\\\\\nn\rr\"\"");
  private static final byte[] JSON_ESCAPES = jsonEscapes();
  // What stops the one-pass copy of a short value: its escapes and ';', which means quotes.
  private static final boolean[] PLAIN_VALUE_STOPS = valueStops();

  // Above this length a string without escapes is written through the vectorised bulk path.
  private static final int BULK = 48;

  private final CharsetEncoder utf8 =
      StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPLACE) // '?' for a lone surrogate, as getBytes
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private char[] chars = new char[256];
  private CharBuffer charView = CharBuffer.wrap(chars);

  private byte[] buffer;
  private ByteBuffer byteView;
  private int length;

  /** Pairs of (character, letter written after the backslash). */
  private static byte[] escapes(String pairs) {
    byte[] table = new byte[128];
    for (int i = 0; i < pairs.length(); i += 2) {
      table[pairs.charAt(i)] = (byte) pairs.charAt(i + 1);
    }
    return table;
  }

  private static boolean[] valueStops() {
    boolean[] stops = new boolean[128];
    for (int c = 0; c < 128; c++) {
      stops[c] = VALUE_ESCAPES[c] != 0 || c == ';';
    }
    return stops;
  }

  private static byte[] jsonEscapes() {
    byte[] table = escapes("\"\"\\\\\nn\rr\tt");
    for (int c = 0; c < 0x20; c++) {
      if (table[c] == 0) {
        table[c] = 'u';
      }
    }
    return table;
  }

  /** Creates a writer with a 256-byte buffer that grows as needed. */
  public MessageWriter() {
    buffer = new byte[256];
    byteView = ByteBuffer.wrap(buffer);
  }

  /**
   * Returns the buffer holding the last result (valid up to {@link #length()}).
   *
   * @return the internal buffer; do not keep it across writes
   */
  public byte[] buffer() {
    return buffer;
  }

  /**
   * Returns the number of bytes of the last result.
   *
   * @return the length
   */
  public int length() {
    return length;
  }

  /**
   * Decodes the last result.
   *
   * @return the text
   */
  public String asString() {
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }

  /**
   * Appends one ASCII byte (a line terminator, say) to the last result.
   *
   * @param c an ASCII character
   * @return this writer
   */
  public MessageWriter append(char c) {
    ensure(1L);
    buffer[length++] = (byte) c;
    return this;
  }

  /**
   * Writes the string form: {@code [<sfs:sfv ][[server:]service/]COMMAND[ a=1;b=2]}. A server
   * without a service is not written; values are escaped ({@code \\}, {@code \n}, {@code \r}) and
   * quoted when they contain {@code ;} or start with {@code "}.
   *
   * @param message the message
   * @return this writer
   * @throws MessageException when the command is empty (upstream's text)
   */
  public MessageWriter writeString(Message message) {
    if (message.command().isEmpty()) {
      throw MessageException.invalid(
          "message::to_message(): cannot build a valid message without at least a command.");
    }
    length = 0;
    if (!message.sentFromServer().isEmpty() || !message.sentFromService().isEmpty()) {
      append('<');
      text(message.sentFromServer());
      append(':');
      text(message.sentFromService());
      append(' ');
    }
    if (!message.service().isEmpty()) {
      if (!message.server().isEmpty()) {
        text(message.server());
        append(':');
      }
      text(message.service());
      append('/');
    }
    text(message.command());
    for (int i = 0; i < message.parameterCount(); i++) {
      append(i == 0 ? ' ' : ';');
      text(message.parameterName(i));
      append('=');
      value(message.parameterValue(i));
    }
    return this;
  }

  private void value(String value) {
    int n = value.length();
    if (n <= BULK && (n == 0 || value.charAt(0) != '"')) {
      // The usual short value needs neither escape nor quotes: copy it in the same pass that
      // checks, instead of an indexOf(';') and then a second pass. On anything else, write
      // nothing and take the general path below.
      ensure(n);
      byte[] out = buffer;
      int at = length;
      int i = 0;
      while (i < n) {
        char c = value.charAt(i);
        if (c >= 0x80 || PLAIN_VALUE_STOPS[c]) {
          break;
        }
        out[at++] = (byte) c;
        i++;
      }
      if (i == n) {
        length = at;
        return;
      }
    }
    boolean quoted = value.indexOf(';') >= 0 || (!value.isEmpty() && value.charAt(0) == '"');
    if (quoted) {
      append('"');
      escaped(value, QUOTED_VALUE_ESCAPES);
      append('"');
    } else {
      escaped(value, VALUE_ESCAPES);
    }
  }

  /**
   * Writes the JSON form: one object, no spaces, keys {@code sent-from-server}, {@code
   * sent-from-service} (when not empty), {@code server} (when a service is set), {@code service},
   * {@code command} and {@code parameters}. A value {@code true}/{@code false} is a JSON boolean, a
   * value that is a JSON number as written is a bare number, anything else a string; so every value
   * reads back as the same text.
   *
   * @param message the message
   * @return this writer
   * @throws MessageException when the command is empty (upstream's text)
   */
  public MessageWriter writeJson(Message message) {
    if (message.command().isEmpty()) {
      throw MessageException.invalid(
          "message::to_json(): cannot build a valid JSON message without at least a command.");
    }
    length = 0;
    append('{');
    boolean first = true;
    if (!message.sentFromServer().isEmpty()) {
      first = field(first, "sent-from-server", message.sentFromServer());
    }
    if (!message.sentFromService().isEmpty()) {
      first = field(first, "sent-from-service", message.sentFromService());
    }
    if (!message.service().isEmpty()) {
      if (!message.server().isEmpty()) {
        first = field(first, "server", message.server());
      }
      first = field(first, "service", message.service());
    }
    first = field(first, "command", message.command());
    if (message.parameterCount() > 0) {
      if (!first) {
        append(',');
      }
      jsonString("parameters");
      append(':');
      append('{');
      for (int i = 0; i < message.parameterCount(); i++) {
        if (i > 0) {
          append(',');
        }
        jsonString(message.parameterName(i));
        append(':');
        jsonValue(message.parameterValue(i));
      }
      append('}');
    }
    append('}');
    return this;
  }

  private boolean field(boolean first, String key, String value) {
    if (!first) {
      append(',');
    }
    jsonString(key);
    append(':');
    jsonString(value);
    return false;
  }

  private void jsonValue(String value) {
    if (value.equals("true") || value.equals("false") || JsonNumbers.isNumber(value)) {
      text(value);
    } else {
      jsonString(value);
    }
  }

  private void jsonString(String value) {
    append('"');
    escaped(value, JSON_ESCAPES);
    append('"');
  }

  private void text(String value) {
    escaped(value, NO_ESCAPES);
  }

  /**
   * Writes a string as UTF-8, escaping the ASCII characters its table marks: the table gives the
   * letter written after a backslash, or {@code u} for a six-byte escape (backslash, u, 00, two hex
   * digits). Short strings (names, most values) are copied in one pass that checks as it copies;
   * long ones go through the JDK's vectorised paths (see {@link #bulk}).
   */
  private void escaped(String value, byte[] escapes) {
    int n = value.length();
    if (n > BULK) {
      int plain = plainPrefix(value, escapes);
      if (plain > BULK) {
        int start = length;
        bulk(value, plain);
        if (escapes == JSON_ESCAPES && ByteScan.indexOfJsonStop(buffer, start, length) < length) {
          // A JSON control character cannot be found with indexOf; found now, start over.
          length = start;
          escapedFrom(value, 0, escapes);
          return;
        }
        if (plain < n) {
          escapedFrom(value, plain, escapes);
        }
        return;
      }
    }
    ensure(n);
    byte[] out = buffer;
    int at = length;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x80 || escapes[c] != 0) {
        length = at;
        escapedFrom(value, i, escapes);
        return;
      }
      out[at++] = (byte) c;
    }
    length = at;
  }

  /**
   * The length of the prefix of a string that holds no character its table escapes, found with
   * {@link String#indexOf(int)} (a vectorised intrinsic); for the JSON table only {@code "} and
   * {@code \} are searched, control characters are checked on the output.
   */
  private static int plainPrefix(String value, byte[] escapes) {
    if (escapes == NO_ESCAPES) {
      return value.length();
    }
    int plain = firstOf(value, '\\', value.length());
    if (escapes == JSON_ESCAPES) {
      return firstOf(value, '"', plain);
    }
    plain = firstOf(value, '\n', plain);
    plain = firstOf(value, '\r', plain);
    return escapes == QUOTED_VALUE_ESCAPES ? firstOf(value, '"', plain) : plain;
  }

  private static int firstOf(String value, char c, int limit) {
    int at = value.indexOf(c, 0, limit);
    return at < 0 ? limit : at;
  }

  /**
   * Writes the first {@code n} characters of a string, which need no escape, as UTF-8: {@code
   * getChars} and the UTF-8 encoder's ASCII loop are both vectorised intrinsics, several times
   * faster than a loop over {@code charAt} on a 1 KiB value, and allocate nothing.
   */
  private void bulk(String value, int n) {
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
      charView = CharBuffer.wrap(chars);
    }
    value.getChars(0, n, chars, 0);
    ensure(3L * n); // a char is at most 3 bytes; a surrogate pair is 4 bytes for 2 chars
    if (byteView.array() != buffer) {
      byteView = ByteBuffer.wrap(buffer);
    }
    charView.clear().limit(n);
    byteView.clear().position(length);
    utf8.reset();
    utf8.encode(charView, byteView, true); // never overflows: room was made above
    length = byteView.position();
  }

  /** The general loop, from character {@code from} on. */
  private void escapedFrom(String value, int from, byte[] escapes) {
    int n = value.length();
    ensure(6L * (n - from)); // the longest form of one char: a six-byte escape
    byte[] out = buffer;
    int at = length;
    for (int i = from; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        byte e = escapes[c];
        if (e == 0) {
          out[at++] = (byte) c;
        } else if (e != 'u') {
          out[at++] = '\\';
          out[at++] = e;
        } else {
          out[at++] = '\\';
          out[at++] = 'u';
          out[at++] = '0';
          out[at++] = '0';
          out[at++] = HEX[c >> 4];
          out[at++] = HEX[c & 0xF];
        }
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, value.charAt(++i));
        out[at++] = (byte) (0xF0 | (cp >> 18));
        out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out[at++] = '?'; // as String.getBytes: a lone surrogate has no UTF-8 form
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    length = at;
  }

  private void ensure(long more) {
    if (length + more > buffer.length) {
      // long arithmetic: 6 bytes per char of a huge string must not wrap to a negative size
      long size = Math.max(buffer.length * 2L, length + more);
      buffer = Arrays.copyOf(buffer, (int) Math.min(size, Integer.MAX_VALUE - 8));
    }
  }
}
