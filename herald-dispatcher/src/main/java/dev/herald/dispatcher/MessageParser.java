package dev.herald.dispatcher;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Parses messages straight from the bytes of an input buffer (UTF-8), as upstream's {@code
 * from_message}: the input is trimmed of {@code SP HT LF VT FF CR}, an input starting with <code>
 * {</code> is JSON, anything else the string form. Names are shared between messages through a
 * small cache and values are decoded once from the buffer, so a parameter costs one string.
 *
 * <p>Any input, random bytes included, yields a {@link Message} or a {@link MessageException}:
 * upstream's checks run in upstream's order with its texts, and Herald's few own checks (names the
 * string form could not write back in the same place, see {@link Message}; in JSON also lone
 * surrogate escapes, invalid UTF-8 and raw control characters) come after them, so an input
 * upstream rejects gets upstream's reason. Inputs longer than the maximum size are refused before
 * they are read. As in C, a NUL byte ends the string form; bytes that are not UTF-8 become U+FFFD
 * in the string form (upstream passes them through) and are refused in JSON. One parser per thread.
 *
 * <pre>{@code
 * MessageParser parser = new MessageParser(64 * 1024);
 * Message message = parser.parse(buffer, lineStart, lineLength); // without the '\n'
 * }</pre>
 */
public final class MessageParser {
  /** The names of the last message whose names passed {@link #namesProblem}, by identity. */
  private final String[] checkedNames = new String[5];

  /** The default maximum size of one message in bytes (1 MiB). */
  public static final int DEFAULT_MAXIMUM_SIZE = 1 << 20;

  private static final boolean[] NAME_CHARS = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      NAME_CHARS[c] = MessageNames.isNameChar(c, true);
    }
  }

  private final int maximumSize;
  private final TextDecoder text = new TextDecoder();
  private final ParsedParameters parameters = new ParsedParameters();
  private final JsonMessageParser json = new JsonMessageParser(text, parameters);

  /** Creates a parser accepting messages up to {@link #DEFAULT_MAXIMUM_SIZE} bytes. */
  public MessageParser() {
    this(DEFAULT_MAXIMUM_SIZE);
  }

  /**
   * Creates a parser.
   *
   * @param maximumSize the largest accepted input in bytes, at least 1
   */
  public MessageParser(int maximumSize) {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be at least 1, not " + maximumSize);
    }
    this.maximumSize = maximumSize;
  }

  /**
   * Returns the largest accepted input.
   *
   * @return the size in bytes
   */
  public int maximumSize() {
    return maximumSize;
  }

  /**
   * Parses a message given as text.
   *
   * @param message the message
   * @return the message
   * @throws MessageException when the text is not a valid message
   */
  public Message parse(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    return parse(bytes, 0, bytes.length);
  }

  /**
   * Parses a whole array.
   *
   * @param bytes the message in UTF-8
   * @return the message
   * @throws MessageException when the bytes are not a valid message
   */
  public Message parse(byte[] bytes) {
    return parse(bytes, 0, bytes.length);
  }

  /**
   * Parses a range of a buffer.
   *
   * @param bytes the buffer
   * @param offset where the message starts
   * @param length its length in bytes
   * @return the message
   * @throws MessageException when the bytes are not a valid message or are too long
   */
  public Message parse(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length > maximumSize) {
      throw MessageException.invalid(
          "message of "
              + length
              + " bytes is larger than the maximum of "
              + maximumSize
              + " bytes; split it or raise the parser's maximum size.");
    }
    int start = offset;
    int end = offset + length;
    while (start < end && isSpace(bytes[start])) {
      start++;
    }
    while (end > start && isSpace(bytes[end - 1])) {
      end--;
    }
    if (start == end) {
      throw MessageException.invalid(
          "message is empty or only composed of blanks ("
              + text.decode(bytes, offset, offset + length)
              + ").");
    }
    parameters.clear();
    if (bytes[start] == '{') {
      return json.parse(bytes, offset, start, end);
    }
    return parseString(bytes, start, end, offset, length);
  }

  /** C {@code isspace} in the "C" locale. */
  static boolean isSpace(byte c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  // Upstream walks a C string, so a NUL byte ends the message: every scan below also stops at a
  // NUL and moves the end there (cheaper than a separate pass over the whole input).
  private Message parseString(byte[] b, int start, int end, int offset, int length) {
    int i = start;
    String sentFromServer = "";
    String sentFromService = "";
    if (b[i] == '<') {
      int from = ++i;
      for (; i < end && b[i] != ':'; i++) {
        if (b[i] == ' ') {
          throw MessageException.invalid(
              "a message with sent_from_server must not include a space in the server name ("
                  + text.decode(b, offset, offset + length)
                  + ").");
        }
        if (b[i] == 0) {
          end = i;
          break;
        }
      }
      sentFromServer = text.name(b, from, i);
      if (i < end) {
        from = ++i;
        for (; i < end && b[i] != ' '; i++) {
          if (b[i] == 0) {
            end = i;
            break;
          }
        }
        sentFromService = text.name(b, from, i);
      }
      if (i >= end) {
        throw MessageException.invalid(
            "a message cannot only include a 'sent from service' definition.");
      }
      i++;
    }

    String server = "";
    String service = "";
    boolean hasServer = false;
    boolean hasService = false;
    int from = i;
    for (; i < end && b[i] != ' '; i++) {
      byte c = b[i];
      if (c == ':') {
        if (hasServer || hasService || i == from) {
          throw MessageException.invalid(
              "a server name cannot be empty when specified, also it cannot include two server"
                  + " names and a server name after a service name was specified.");
        }
        hasServer = true;
        server = text.name(b, from, i);
        from = i + 1;
      } else if (c == '/') {
        if (hasService || i == from) {
          throw MessageException.invalid(
              "a service name is mandatory when the message includes a slash (/), also it cannot"
                  + " include two service names.");
        }
        hasService = true;
        service = text.name(b, from, i);
        from = i + 1;
      } else if (c == 0) {
        end = i;
        break;
      }
    }
    if (i == from) {
      throw MessageException.invalid("a command is mandatory in a message.");
    }
    String command = text.name(b, from, i);
    if (i < end) {
      readParameters(b, i + 1, end);
    }
    // Herald's own check, after all of upstream's: the few names upstream reads but that could not
    // be written back in the same place (a tab, a leading '<'), so setters accept every parsed
    // name.
    if (sentFromServer != checkedNames[0]
        || sentFromService != checkedNames[1]
        || server != checkedNames[2]
        || service != checkedNames[3]
        || command != checkedNames[4]) {
      String problem = namesProblem(sentFromServer, sentFromService, server, service, command);
      if (problem != null) {
        throw MessageException.invalid(problem);
      }
      // Cached names come back as the same instances: the next message like this one skips the
      // scan (an identity check, not equals, so a different string is always checked).
      checkedNames[0] = sentFromServer;
      checkedNames[1] = sentFromService;
      checkedNames[2] = server;
      checkedNames[3] = service;
      checkedNames[4] = command;
    }
    return new Message(
        sentFromServer, sentFromService, server, service, command, parameters.build());
  }

  /** What is wrong with the names of a parsed message (first field first), or null. */
  static String namesProblem(
      String sentFromServer,
      String sentFromService,
      String server,
      String service,
      String command) {
    String problem = NameField.SENT_FROM_SERVER.problem(sentFromServer);
    if (problem == null) {
      problem = NameField.SENT_FROM_SERVICE.problem(sentFromService);
    }
    if (problem == null) {
      problem = NameField.SERVER.problem(server);
    }
    if (problem == null) {
      problem = NameField.SERVICE.problem(service);
    }
    // An empty command never gets here from the string form; JSON may leave it out (upstream
    // accepts that), and such a message cannot be written back.
    if (problem == null && !command.isEmpty()) {
      problem = NameField.COMMAND.problem(command);
    }
    return problem;
  }

  private void readParameters(byte[] b, int i, int end) {
    while (i < end && b[i] != 0) {
      int nameStart = i;
      boolean valid = !MessageNames.isDigit(b[i]);
      for (; i < end && b[i] != '='; i++) {
        byte c = b[i];
        if (c == 0) {
          end = i;
          break;
        }
        valid &= c >= 0 && NAME_CHARS[c];
      }
      // Upstream's order: the name (up to '=' or the end) is checked before the '=' is looked for,
      // so "MSG a-b" is a bad name and "MSG flag" a missing '='.
      if (!valid || i == nameStart) {
        throw invalidParameterName(b, nameStart, i);
      }
      if (i >= end) {
        throw MessageException.invalid(
            "message parameters must be followed by an equal (=) character.");
      }
      String name = text.name(b, nameStart, i);
      i++;
      int valueAt = i;
      String value;
      while (true) {
        i = valueAt;
        if (i < end && b[i] == '"') {
          int valueStart = ++i;
          boolean escaped = false;
          boolean ascii = true;
          while (true) {
            int found = ByteScan.indexOfEitherAscii(b, i, end, '"', '\\');
            ascii &= found >= 0;
            i = found & ~ByteScan.NOT_ASCII;
            if (i >= end) {
              throw MessageException.invalid(
                  "a quoted message parameter must end with a quote (\").");
            }
            if (b[i] == '"') {
              break;
            }
            escaped = true;
            i += i + 1 < end && b[i + 1] == '"' ? 2 : 1;
          }
          value =
              escaped
                  ? unescapeQuoted(b, valueStart, i)
                  : ascii ? text.ascii(b, valueStart, i) : text.decode(b, valueStart, i);
          i++;
        } else {
          int valueStart = i;
          int found = ByteScan.indexOfEitherAscii(b, i, end, ';', '\\');
          i = found & ~ByteScan.NOT_ASCII;
          boolean escaped = i < end && b[i] == '\\';
          if (escaped) {
            i = ByteScan.indexOfEither(b, i, end, ';', ';');
            value = unescape(b, valueStart, i);
          } else {
            value = found >= 0 ? text.ascii(b, valueStart, i) : text.decode(b, valueStart, i);
          }
        }
        // The value scans do not look for NUL (one pattern less on long values); the decoded
        // value is searched instead (an intrinsic), and in the rare case it holds one, the
        // message ends at that NUL and the value is scanned again.
        if (value.indexOf('\0') < 0) {
          break;
        }
        end = ByteScan.indexOfAny(b, valueAt, end, 0, 0, 0);
      }
      if (i < end) {
        if (b[i] == 0) {
          end = i;
        } else if (b[i] != ';') {
          throw MessageException.invalid("two parameters must be separated by a semicolon (;).");
        } else {
          i++;
        }
      }
      parameters.add(name, value);
    }
  }

  /** Upstream's texts for an empty or invalid parameter name. */
  private MessageException invalidParameterName(byte[] b, int from, int to) {
    if (from == to) {
      return MessageException.invalid(
          "could not accept message because an empty parameter name is not valid.");
    }
    String name = text.decode(b, from, to);
    return MessageException.invalid(
        "could not accept message because parameter name \""
            + name
            + "\" is not considered valid: event_dispatcher_exception: "
            + MessageNames.problem(name, false, true));
  }

  /** Quoted values: first {@code \"} to {@code "}, then the common unescape pass. */
  private String unescapeQuoted(byte[] b, int from, int to) {
    byte[] out = text.scratch(to - from);
    int n = 0;
    for (int k = from; k < to; k++) {
      if (b[k] == '\\' && k + 1 < to && b[k + 1] == '"') {
        k++;
      }
      out[n++] = b[k];
    }
    return text.decodeScratch(unescapeInPlace(out, 0, n, out));
  }

  private String unescape(byte[] b, int from, int to) {
    byte[] out = text.scratch(to - from);
    return text.decodeScratch(unescapeInPlace(b, from, to, out));
  }

  /**
   * One left-to-right pass of {@code \\}, {@code \n}, {@code \r}; other backslash pairs are kept.
   * Writes to {@code out} from index 0 (which may be {@code b} itself: the output never overtakes
   * the input) and returns the length.
   */
  private static int unescapeInPlace(byte[] b, int from, int to, byte[] out) {
    int n = 0;
    for (int k = from; k < to; k++) {
      byte c = b[k];
      if (c == '\\' && k + 1 < to) {
        byte next = b[k + 1];
        if (next == '\\' || next == 'n' || next == 'r') {
          out[n++] = next == '\\' ? (byte) '\\' : next == 'n' ? (byte) '\n' : (byte) '\r';
          k++;
          continue;
        }
      }
      out[n++] = c;
    }
    return n;
  }
}
