package dev.herald.dispatcher;

/**
 * The name fields of a message and which names each can hold: exactly the names the string form
 * carries in that place and reads back unchanged, so that setters, the string parser and the JSON
 * reader agree. Upstream's parser accepts any name there (a command {@code A-B.c}, a server {@code
 * my-host}) while its setters accept only {@code [A-Za-z0-9_]}; Herald's setters accept what the
 * parser reads, and the parsers refuse, after all of upstream's checks, the few names that could
 * not be written back in the same place.
 *
 * <p>No name holds a blank ({@code SP HT LF VT FF CR}: the separator, the trimmed edges, the line
 * end of stream transports), a NUL (the end of the string form in C) or an unpaired UTF-16
 * surrogate (no UTF-8 form). The sent-from server also stops at {@code :}; server, service and
 * command also stop at {@code :} and {@code /}, and start neither with {@code <}, which opens the
 * sent-from part, nor with <code>{</code>, which makes the message JSON, when they come first. Only
 * the command cannot be empty.
 */
enum NameField {
  SENT_FROM_SERVER("sent-from server name", ":", false),
  SENT_FROM_SERVICE("sent-from service name", "", false),
  SERVER("server name", ":/", true),
  SERVICE("service name", ":/", true),
  COMMAND("command", ":/", true);

  private final String label;
  private final String delimiters;
  private final boolean mayComeFirst;

  NameField(String label, String delimiters, boolean mayComeFirst) {
    this.label = label;
    this.delimiters = delimiters;
    this.mayComeFirst = mayComeFirst;
  }

  /**
   * Throws when the name cannot be held by this field.
   *
   * @throws MessageException with the reason
   */
  void verify(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw MessageException.invalid(problem);
    }
  }

  /** Returns what is wrong with the name for this field, or null when it is fine. */
  String problem(String name) {
    if (name.isEmpty()) {
      // upstream's text: an empty command is refused as upstream's set_command("") refuses it
      return this == COMMAND
          ? "a message name (command, server, service, parameter, etc.) cannot be empty."
          : null;
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      String what = forbidden(c);
      if (what != null) {
        return "a message "
            + label
            + " cannot include "
            + what
            + ", "
            + quoted(name)
            + " is not valid.";
      }
      i += Character.charCount(c);
    }
    char first = name.charAt(0);
    if (mayComeFirst && (first == '<' || first == '{')) {
      return "a message "
          + label
          + " cannot start with '"
          + first
          + "', "
          + quoted(name)
          + " is not valid.";
    }
    return null;
  }

  private String forbidden(int c) {
    return switch (c) {
      case ' ' -> "a space";
      case '\t' -> "a tab";
      case '\n' -> "a line feed";
      case 0x0B -> "a vertical tab";
      case '\f' -> "a form feed";
      case '\r' -> "a carriage return";
      case 0 -> "a NUL";
      default -> {
        if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
          yield "an unpaired UTF-16 surrogate"; // codePointAt() only returns a lone one
        }
        yield c < 0x80 && delimiters.indexOf(c) >= 0 ? "'" + (char) c + "'" : null;
      }
    };
  }

  /** The name in quotes, control characters and lone surrogates escaped so a log line stays one. */
  static String quoted(String name) {
    StringBuilder out = new StringBuilder(name.length() + 2).append('"');
    name.codePoints()
        .forEach(
            c -> {
              if (c < 0x20
                  || c == 0x7F
                  || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }
}
