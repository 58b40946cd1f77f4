package dev.herald.dispatcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JSON form from bytes: one object with the string fields {@code sent-from-server},
 * {@code sent-from-service}, {@code server}, {@code service}, {@code command} (others are ignored)
 * and a {@code parameters} object of strings, numbers, booleans and nulls. Unlike upstream, strings
 * are unescaped once (as JSON says) and numbers keep their text exactly ({@code 2.5} stays {@code
 * 2.5}, a nanosecond timestamp keeps its nanoseconds). Error texts are upstream's where it has
 * them.
 */
final class JsonMessageParser {
  private static final Logger LOG = LoggerFactory.getLogger(JsonMessageParser.class);

  private final TextDecoder text;
  private final ParsedParameters parameters;
  private byte[] b;
  private int i;
  private int end;

  JsonMessageParser(TextDecoder text, ParsedParameters parameters) {
    this.text = text;
    this.parameters = parameters;
  }

  Message parse(byte[] bytes, int start, int end) {
    this.b = bytes;
    this.i = start + 1; // the caller saw the '{'
    this.end = end;
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
      if (peek() != '"') {
        throw MessageException.invalid("JSON message expected a string defining the field name.");
      }
      String key = string(true);
      colon();
      if (key.equals("parameters") || peek() == '{') {
        if (!key.equals("parameters") || peek() != '{') {
          throw MessageException.invalid("JSON message expected an object to define parameters.");
        }
        readParameters();
      } else if (peek() == '"') {
        String value = string(true);
        switch (key) {
          case "sent-from-server" -> sentFromServer = value;
          case "sent-from-service" -> sentFromService = value;
          case "server" -> server = value;
          case "service" -> service = value;
          case "command" -> command = value;
          default -> LOG.info("JSON message field \"{}\" is not known; ignored.", key);
        }
      } else {
        throw MessageException.invalid("JSON message expected a string as the field value.");
      }
      if (!more()) {
        break;
      }
    }
    space();
    if (i != end) {
      throw MessageException.invalid("JSON message followed by more data after the last '}'.");
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
      space();
      if (peek() != '"') {
        throw MessageException.invalid(
            "JSON message expected a string defining the parameter name.");
      }
      String name = string(true);
      if (!MessageNames.isParameterName(name)) {
        throw MessageException.invalid(
            "could not accept message because parameter name \""
                + name
                + "\" is not considered valid: event_dispatcher_exception: "
                + MessageNames.problem(name, false, true));
      }
      colon();
      String value =
          switch (peek()) {
            case '"' -> string(false);
            case 't' -> literal("true", "true");
            case 'f' -> literal("false", "false");
            case 'n' -> literal("null", "");
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number();
            default -> throw MessageException.invalid("JSON message expected a parameter value.");
          };
      parameters.add(name, value);
      if (!more()) {
        return;
      }
    }
  }

  /** After a value: true on ',', false on '}', an error otherwise. */
  private boolean more() {
    space();
    int c = peek();
    i++;
    if (c == ',') {
      return true;
    }
    if (c == '}') {
      return false;
    }
    throw MessageException.invalid("JSON message parameter expected to be followed by '}' or ','.");
  }

  private void colon() {
    space();
    if (peek() != ':') {
      throw MessageException.invalid("JSON message expected a colon (:) after a field name.");
    }
    i++;
    space();
  }

  private String literal(String word, String value) {
    if (end - i < word.length()) {
      throw MessageException.invalid("JSON message expected a parameter value.");
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        throw MessageException.invalid("JSON message expected a parameter value.");
      }
    }
    i += word.length();
    return value;
  }

  private String number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else if (digits() == 0) {
      throw invalidNumber(start);
    }
    if (peek() == '.') {
      i++;
      if (digits() == 0) {
        throw invalidNumber(start);
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      if (digits() == 0) {
        throw invalidNumber(start);
      }
    }
    return text.name(b, start, i);
  }

  private int digits() {
    int start = i;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i - start;
  }

  private MessageException invalidNumber(int start) {
    return MessageException.invalid(
        "JSON message has an invalid number \""
            + text.decode(b, start, Math.min(i + 1, end))
            + "\".");
  }

  /** Reads a string at {@code i} (on its opening quote); names go through the name cache. */
  private String string(boolean isName) {
    int start = ++i;
    i = ByteScan.indexOfJsonStop(b, i, end);
    if (i >= end) {
      throw unterminated();
    }
    int c = b[i];
    if (c == '"') {
      String value = isName ? text.name(b, start, i) : text.decode(b, start, i);
      i++;
      return value;
    }
    if (c == '\\') {
      return escapedString(start);
    }
    throw controlCharacter();
  }

  private String escapedString(int start) {
    int n = i - start;
    byte[] out = text.scratch(Math.max(n + 16, end - start));
    System.arraycopy(b, start, out, 0, n);
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c == '"') {
        i++;
        return text.decodeScratch(n);
      }
      if (c < 0x20) {
        throw controlCharacter();
      }
      if (c != '\\') {
        out[n++] = (byte) c;
        i++;
        continue;
      }
      if (i + 1 >= end) {
        throw unterminated();
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
        case 'u' -> n = unicode(out, n);
        default ->
            throw MessageException.invalid(
                "JSON message has an invalid escape sequence \"\\" + (char) (e & 0xFF) + "\".");
      }
    }
    throw unterminated();
  }

  /** Reads {@code XXXX} (and a following low surrogate escape) and writes it as UTF-8. */
  private int unicode(byte[] out, int n) {
    int unit = hex4();
    int codePoint = unit;
    if (Character.isHighSurrogate((char) unit) && i + 1 < end && b[i] == '\\' && b[i + 1] == 'u') {
      int save = i;
      i += 2;
      int low = hex4();
      if (Character.isLowSurrogate((char) low)) {
        codePoint = Character.toCodePoint((char) unit, (char) low);
      } else {
        i = save;
      }
    }
    if (Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF) {
      codePoint = 0xFFFD; // a lone surrogate has no UTF-8 form
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

  private int hex4() {
    if (end - i < 4) {
      throw unterminated();
    }
    int value = 0;
    for (int k = 0; k < 4; k++) {
      int digit = Character.digit(b[i + k] & 0xFF, 16);
      if (digit < 0 || (b[i + k] & 0xFF) > 'f') {
        throw MessageException.invalid("JSON message has an invalid \\u escape sequence.");
      }
      value = value * 16 + digit;
    }
    i += 4;
    return value;
  }

  private static MessageException unterminated() {
    return MessageException.invalid("JSON message has an unterminated string.");
  }

  private static MessageException controlCharacter() {
    return MessageException.invalid(
        "JSON message has a raw control character in a string; it must be escaped.");
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
