package dev.herald.dispatcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JSON form from bytes: one object with the string fields {@code sent-from-server},
 * {@code sent-from-service}, {@code server}, {@code service}, {@code command} (others are ignored)
 * and a {@code parameters} object of strings, numbers, booleans and nulls. Unlike upstream, strings
 * are unescaped once (as JSON says) and numbers keep their text exactly ({@code 2.5} stays {@code
 * 2.5}, a nanosecond timestamp keeps its nanoseconds).
 *
 * <p>Errors follow upstream's {@code from_json}: its checks in its order, each with the line it
 * logs for the place in the object where the input went wrong. Where upstream's tokenizer refused a
 * token there (a bad string, number or literal: a lone surrogate escape, invalid UTF-8, a NUL, an
 * unknown escape, {@code 1.}), upstream logs only that line; Herald appends what was wrong and at
 * which byte. The checks only Herald makes (raw control characters in strings, parameter names,
 * names the string form cannot carry) come after all of upstream's, so an input upstream rejects
 * gets upstream's reason.
 */
final class JsonMessageParser {
  private static final Logger LOG = LoggerFactory.getLogger(JsonMessageParser.class);

  // Upstream's lines, one per place in the object.
  private static final String NOT_CLOSED = "JSON message not properly closed, '}' missing.";
  private static final String FIELD_NAME =
      "JSON message expected a string defining the field name.";
  private static final String FIELD_COLON =
      "JSON message expected a colon after an object field name.";
  private static final String PARAMETERS_OBJECT =
      "JSON message expected an object to define parameters.";
  private static final String FIELD_VALUE = "JSON message expected a string as the field value.";
  private static final String PARAMETER_NAME =
      "JSON message expected a string defining the parameter name.";
  private static final String PARAMETER_COLON =
      "JSON message expected a colon after an object parameter name.";
  private static final String PARAMETER_VALUE = "JSON message expected a parameter value.";
  private static final String FOLLOWED =
      "JSON message parameter expected to be followed by '}' or ','.";
  private static final String MORE_DATA = "JSON message followed by more data after the last '}'.";

  private final TextDecoder text;
  private final ParsedParameters parameters;
  private byte[] b;
  private int i;
  private int end;
  // Where the message starts in the buffer: error positions count from there.
  private int origin;
  // The first problem only Herald checks for, reported once upstream's checks all passed.
  private String deferred;

  JsonMessageParser(TextDecoder text, ParsedParameters parameters) {
    this.text = text;
    this.parameters = parameters;
  }

  /** Parses {@code [start, end)}, which starts with its '{'; {@code origin} is byte 0 in errors. */
  Message parse(byte[] bytes, int origin, int start, int end) {
    this.b = bytes;
    this.origin = origin;
    this.i = start + 1;
    this.end = end;
    this.deferred = null;
    try {
      return object();
    } finally {
      this.b = null;
    }
  }

  private Message object() {
    String sentFromServer = "";
    String sentFromService = "";
    String server = "";
    String service = "";
    String command = "";
    while (true) {
      space();
      if (i >= end) {
        throw MessageException.invalid(NOT_CLOSED);
      }
      if (peek() != '"') {
        throw MessageException.invalid(FIELD_NAME);
      }
      String key = string(true, FIELD_NAME);
      space();
      if (peek() != ':') {
        throw MessageException.invalid(FIELD_COLON);
      }
      i++;
      space();
      if (peek() == '{') {
        if (!key.equals("parameters")) {
          throw MessageException.invalid(PARAMETERS_OBJECT);
        }
        readParameters();
      } else if (peek() == '"') {
        // "parameters" with a string value is an unknown string field to upstream, not an error
        String value = string(true, FIELD_VALUE);
        switch (key) {
          case "sent-from-server" -> sentFromServer = value;
          case "sent-from-service" -> sentFromService = value;
          case "server" -> server = value;
          case "service" -> service = value;
          case "command" -> command = value;
          default ->
              LOG.info(
                  "JSON message expected a known field. {} was not recognized.",
                  NameField.quoted(key));
        }
      } else {
        throw MessageException.invalid(FIELD_VALUE);
      }
      space();
      int c = peek();
      if (c == '}') {
        i++;
        space();
        if (i != end) {
          throw MessageException.invalid(MORE_DATA);
        }
        break;
      }
      if (c != ',') {
        throw MessageException.invalid(FOLLOWED);
      }
      i++;
    }
    if (deferred != null) {
      throw MessageException.invalid(deferred);
    }
    String problem =
        MessageParser.namesProblem(sentFromServer, sentFromService, server, service, command);
    if (problem != null) {
      throw MessageException.invalid(problem);
    }
    return new Message(
        sentFromServer, sentFromService, server, service, command, parameters.build());
  }

  private void readParameters() {
    i++;
    space();
    if (peek() == '}') {
      i++;
      return;
    }
    while (true) {
      if (peek() != '"') {
        throw MessageException.invalid(PARAMETER_NAME);
      }
      String name = string(true, PARAMETER_NAME);
      space();
      if (peek() != ':') {
        throw MessageException.invalid(PARAMETER_COLON);
      }
      i++;
      space();
      String value =
          switch (peek()) {
            case '"' -> string(false, PARAMETER_VALUE);
            case 't' -> literal("true", "true");
            case 'f' -> literal("false", "false");
            case 'n' -> literal("null", "");
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number();
            default -> throw MessageException.invalid(PARAMETER_VALUE);
          };
      // Upstream does not check parameter names in JSON; Herald holds them to the string form's
      // rule (with upstream's string-form text), after upstream's own checks.
      if (deferred == null && !MessageNames.isParameterName(name)) {
        deferred =
            "could not accept message because parameter name \""
                + name
                + "\" is not considered valid: event_dispatcher_exception: "
                + MessageNames.problem(name, false, true);
      }
      parameters.add(name, value);
      space();
      int c = peek();
      if (c == '}') {
        i++;
        return;
      }
      if (c != ',') {
        throw MessageException.invalid(FOLLOWED);
      }
      i++;
      space();
    }
  }

  private String literal(String word, String value) {
    for (int k = 0; k < word.length(); k++) {
      if (i + k >= end || b[i + k] != word.charAt(k)) {
        throw tokenError(PARAMETER_VALUE, i, "\"" + word + "\" expected");
      }
    }
    i += word.length();
    return value;
  }

  /** A JSON number, kept as written; the caller saw '-' or a digit. */
  private String number() {
    int start = i;
    if (peek() == '-') {
      i++;
      if (!isDigit(peek())) {
        throw tokenError(PARAMETER_VALUE, start, "'-' is not followed by a digit");
      }
    }
    if (peek() == '0') {
      i++; // a leading zero is a number of its own: "01" is 0 followed by junk, as upstream reads
      // it
    } else {
      digits();
    }
    if (peek() == '.') {
      i++;
      if (digits() == 0) {
        throw tokenError(
            PARAMETER_VALUE,
            start,
            "the number \"" + text.decode(b, start, i) + "\" has no digit after its period");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      if (digits() == 0) {
        throw tokenError(
            PARAMETER_VALUE,
            start,
            "the number \"" + text.decode(b, start, i) + "\" has no digit in its exponent");
      }
    }
    return text.name(b, start, i);
  }

  private int digits() {
    int start = i;
    while (isDigit(peek())) {
      i++;
    }
    return i - start;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Reads a string at {@code i} (on its opening quote); names go through the name cache. A bad
   * string is reported with {@code place}, upstream's line for where the string stands.
   */
  private String string(boolean isName, String place) {
    int start = ++i;
    int stop = ByteScan.indexOfJsonStop(b, i, end);
    if (stop < end && b[stop] == '"' && TextDecoder.firstMalformed(b, start, stop) < 0) {
      i = stop + 1;
      return isName ? text.name(b, start, stop) : text.decode(b, start, stop);
    }
    return slowString(start, place);
  }

  /** Escapes, control characters, non-ASCII text checked sequence by sequence, or no end. */
  private String slowString(int start, String place) {
    // The output is never longer than the input: an escape is longer than what it stands for.
    byte[] out = text.scratch(end - start);
    int n = 0;
    i = start;
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c == '"') {
        i++;
        return text.decodeScratch(n);
      }
      if (c == '\\') {
        n = escape(out, n, place);
      } else if (c < 0x80) {
        if (c == 0) {
          throw tokenError(place, i, "a NUL byte in a string");
        }
        if (c < 0x20 && deferred == null) {
          deferred =
              String.format(
                  "JSON message has a raw control character (U+%04X) in a string at byte %d; it"
                      + " must be escaped as \\u%04x.",
                  c, i - origin, c);
        }
        out[n++] = (byte) c;
        i++;
      } else {
        int length = TextDecoder.sequenceLength(b, i, end);
        if (length == 0) {
          throw tokenError(place, i, String.format("invalid UTF-8 (byte 0x%02x)", c));
        }
        System.arraycopy(b, i, out, n, length);
        n += length;
        i += length;
      }
    }
    throw tokenError(place, start - 1, "the string has no closing quote");
  }

  /**
   * Reads the escape at {@code i}, writes what it stands for at {@code out[n]}, returns the end.
   */
  private int escape(byte[] out, int n, String place) {
    int at = i;
    if (i + 1 >= end) {
      throw tokenError(place, at, "the string ends in a lone backslash");
    }
    byte e = b[i + 1];
    i += 2;
    switch (e) {
      case '"', '\\', '/' -> out[n++] = e;
      case 'b' -> out[n++] = '\b';
      case 'f' -> out[n++] = '\f';
      case 'n' -> out[n++] = '\n';
      case 'r' -> out[n++] = '\r';
      case 't' -> out[n++] = '\t';
      case 'u' -> n = unicode(out, n, at, place);
      default ->
          throw tokenError(
              place,
              at,
              e >= 0x20 && e < 0x7F
                  ? "unknown escape \"\\" + (char) e + "\""
                  : String.format("unknown escape: a backslash followed by byte 0x%02x", e & 0xFF));
    }
    return n;
  }

  /**
   * Reads the four hexadecimal digits of the escape at {@code at} (a high surrogate with the low
   * surrogate escape that must follow it) and writes the character as UTF-8; a surrogate escape
   * that is not half of a pair has no UTF-8 form and is refused, as upstream's tokenizer refuses
   * it.
   */
  private int unicode(byte[] out, int n, int at, String place) {
    int unit = hex4(at, place);
    int codePoint = unit;
    if (Character.isLowSurrogate((char) unit)) {
      throw tokenError(
          place,
          at,
          String.format("the low surrogate \\u%04x has no high surrogate before it", unit));
    }
    if (Character.isHighSurrogate((char) unit)) {
      if (i + 1 >= end || b[i] != '\\' || b[i + 1] != 'u') {
        throw tokenError(
            place,
            at,
            String.format("the high surrogate \\u%04x is not followed by a low surrogate", unit));
      }
      int lowAt = i;
      i += 2;
      int low = hex4(lowAt, place);
      if (!Character.isLowSurrogate((char) low)) {
        throw tokenError(
            place,
            at,
            String.format(
                "the high surrogate \\u%04x is followed by \\u%04x, not by a low surrogate",
                unit, low));
      }
      codePoint = Character.toCodePoint((char) unit, (char) low);
    }
    if (codePoint < 0x80) {
      out[n++] = (byte) codePoint;
    } else if (codePoint < 0x800) {
      out[n++] = (byte) (0xC0 | (codePoint >> 6));
      out[n++] = (byte) (0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
      out[n++] = (byte) (0xE0 | (codePoint >> 12));
      out[n++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
      out[n++] = (byte) (0x80 | (codePoint & 0x3F));
    } else {
      out[n++] = (byte) (0xF0 | (codePoint >> 18));
      out[n++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
      out[n++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
      out[n++] = (byte) (0x80 | (codePoint & 0x3F));
    }
    return n;
  }

  private int hex4(int at, String place) {
    int value = 0;
    for (int k = 0; k < 4; k++) {
      int c = i + k < end ? b[i + k] & 0xFF : -1;
      int digit =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) {
        throw tokenError(place, at, "\\u is not followed by four hexadecimal digits");
      }
      value = value * 16 + digit;
    }
    i += 4;
    return value;
  }

  /** Upstream's line for the place, then what the token there got wrong and where. */
  private MessageException tokenError(String place, int at, String what) {
    return MessageException.invalid(place + " At byte " + (at - origin) + ": " + what + ".");
  }

  private int peek() {
    return i < end ? b[i] & 0xFF : -1;
  }

  private void space() {
    while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
  }
}
