package dev.herald.ring.exec;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes JSON values built from maps, lists, strings, numbers, booleans and null, with keys sorted
 * in every object, as upstream's fixture is formatted: {@link #pretty} is exactly Python's {@code
 * json.dumps(value, indent=2, sort_keys=True)}, {@link #compact} the same without any whitespace.
 * Numbers are printed exactly: a {@link Long} as unsigned 64-bit, a {@link BigInteger} in full.
 *
 * <pre>{@code
 * String text = JsonText.pretty(List.of(Map.of("b", 1, "a", "x")));
 * // the object {"a": "x", "b": 1} in a list, keys sorted, two spaces per level
 * }</pre>
 */
public final class JsonText {
  private final StringBuilder out;
  private final boolean indent;

  private JsonText(StringBuilder out, boolean indent) {
    this.out = out;
    this.indent = indent;
  }

  /**
   * The indented form: two spaces per level, {@code "key": value}, sorted keys, ASCII only, no
   * trailing newline.
   *
   * @param value a map with string keys, a list, a string, a number, a boolean or null
   * @return the text
   */
  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    new JsonText(sb, true).value(value, 0);
    return sb.toString();
  }

  /**
   * The one-line form: sorted keys, no whitespace, ASCII only.
   *
   * @param value a map with string keys, a list, a string, a number, a boolean or null
   * @return the text
   */
  public static String compact(Object value) {
    StringBuilder sb = new StringBuilder();
    new JsonText(sb, false).value(value, 0);
    return sb.toString();
  }

  private void value(Object v, int depth) {
    switch (v) {
      case null -> out.append("null");
      case String s -> string(s);
      case Long l -> out.append(Long.toUnsignedString(l));
      case Integer i -> out.append(i.intValue());
      case BigInteger b -> out.append(b);
      case Boolean b -> out.append(b);
      case Map<?, ?> m -> object(m, depth);
      case List<?> l -> array(l, depth);
      default ->
          throw new IllegalArgumentException(
              "no JSON form for a " + v.getClass().getName() + " value");
    }
  }

  private void newline(int depth) {
    if (indent) {
      out.append('\n');
      out.repeat(' ', 2 * depth);
    }
  }

  private void object(Map<?, ?> m, int depth) {
    if (m.isEmpty()) {
      out.append("{}");
      return;
    }
    TreeMap<String, Object> sorted = new TreeMap<>();
    m.forEach((k, v) -> sorted.put((String) k, v));
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(depth + 1);
      string(e.getKey());
      out.append(indent ? ": " : ":");
      value(e.getValue(), depth + 1);
    }
    newline(depth);
    out.append('}');
  }

  private void array(List<?> l, int depth) {
    if (l.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      newline(depth + 1);
      value(l.get(i), depth + 1);
    }
    newline(depth);
    out.append(']');
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
