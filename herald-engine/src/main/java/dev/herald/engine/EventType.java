package dev.herald.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A type of event: a name for people and the byte prefix that every event of this type starts with.
 * The prefix is the subscription filter, exactly as a ZeroMQ SUB subscription: a subscriber of
 * {@code TypeA} also receives {@code TypeAB...}, and an empty filter receives everything.
 *
 * <pre>{@code
 * EventType typeA = EventType.named("TypeA");            // filter = "TypeA" in UTF-8
 * byte[] wire = typeA.prefixed("hello".getBytes(UTF_8)); // "TypeAhello"
 * typeA.matches(wire);                                    // true
 * }</pre>
 */
public final class EventType {
  private final String name;
  private final byte[] filter;

  private EventType(String name, byte[] filter) {
    this.name = name;
    this.filter = filter;
  }

  /**
   * An event type whose filter is its name in UTF-8, as every upstream example does.
   *
   * @param name the name, also the filter
   * @return the event type
   */
  public static EventType named(String name) {
    return new EventType(name, name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An event type with an explicit filter.
   *
   * @param name the name, used in messages only
   * @param filter the byte prefix of every event of this type (copied)
   * @return the event type
   */
  public static EventType of(String name, byte[] filter) {
    return new EventType(name, filter.clone());
  }

  /**
   * Returns the name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the filter bytes.
   *
   * @return a copy of the filter
   */
  public byte[] filter() {
    return filter.clone();
  }

  /** The filter without a copy, for the router. */
  byte[] filterBytes() {
    return filter;
  }

  /**
   * Whether {@code event} starts with this type's filter (ZeroMQ's prefix match).
   *
   * @param event the wire bytes of an event
   * @return true if the event belongs to this type's subscription
   */
  public boolean matches(byte[] event) {
    return startsWith(event, filter);
  }

  /**
   * Returns {@code filter ++ body}: the wire form of an event of this type.
   *
   * @param body the body
   * @return a new array with the filter followed by the body
   */
  public byte[] prefixed(byte[] body) {
    byte[] wire = Arrays.copyOf(filter, filter.length + body.length);
    System.arraycopy(body, 0, wire, filter.length, body.length);
    return wire;
  }

  /**
   * Returns the bytes after the filter.
   *
   * @param event an event of this type
   * @return a new array without the filter
   * @throws IllegalArgumentException if the event does not start with the filter
   */
  public byte[] body(byte[] event) {
    if (!matches(event)) {
      throw new IllegalArgumentException(
          "event does not start with the filter of type " + name + ": " + describe(event));
    }
    return Arrays.copyOfRange(event, filter.length, event.length);
  }

  static boolean startsWith(byte[] event, byte[] prefix) {
    return event.length >= prefix.length
        && Arrays.equals(event, 0, prefix.length, prefix, 0, prefix.length);
  }

  static String describe(byte[] event) {
    int shown = Math.min(event.length, 16);
    return event.length
        + " bytes starting "
        + HexFormat.of().formatHex(event, 0, shown)
        + (shown < event.length ? "..." : "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventType that
        && name.equals(that.name)
        && Arrays.equals(filter, that.filter);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(filter);
  }

  @Override
  public String toString() {
    return "EventType[" + name + "]";
  }
}
