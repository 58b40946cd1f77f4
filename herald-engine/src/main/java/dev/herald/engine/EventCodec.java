package dev.herald.engine;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Turns values of one Java type into events of one {@link EventType} and back, so plugins work with
 * records while the wire format stays the application's choice.
 *
 * <pre>{@code
 * record Reading(String sensor, double value) {}
 * EventCodec<Reading> readings = EventCodec.of(EventType.named("Reading"),
 *     r -> (r.sensor() + "=" + r.value()).getBytes(UTF_8),
 *     body -> { String[] kv = new String(body, UTF_8).split("="); return new Reading(kv[0], Double.parseDouble(kv[1])); });
 * publisher.publish(readings, new Reading("t1", 21.5));
 * Reading r = readings.decode(inbox.take());
 * }</pre>
 *
 * @param <T> the Java type
 */
public interface EventCodec<T> {
  /**
   * Returns the event type this codec writes and reads.
   *
   * @return the event type
   */
  EventType type();

  /**
   * Encodes a value to the full wire bytes, filter included.
   *
   * @param value the value
   * @return the wire bytes
   */
  byte[] encode(T value);

  /**
   * Decodes the full wire bytes, filter included.
   *
   * @param event the wire bytes of an event of {@link #type()}
   * @return the value
   */
  T decode(byte[] event);

  /**
   * Whether the event is of this codec's type (prefix match).
   *
   * @param event the wire bytes
   * @return true if {@link #decode} applies
   */
  default boolean matches(byte[] event) {
    return type().matches(event);
  }

  /**
   * A codec whose wire form is {@code filter ++ body}, the upstream convention: the body functions
   * never see the filter.
   *
   * @param type the event type
   * @param toBody encodes a value's body
   * @param fromBody decodes a body
   * @param <T> the Java type
   * @return the codec
   */
  static <T> EventCodec<T> of(
      EventType type, Function<? super T, byte[]> toBody, Function<byte[], ? extends T> fromBody) {
    return new PrefixedCodec<>(type, toBody, fromBody);
  }

  /**
   * A codec of UTF-8 text bodies.
   *
   * @param type the event type
   * @return the codec
   */
  static EventCodec<String> utf8(EventType type) {
    return of(
        type,
        text -> text.getBytes(StandardCharsets.UTF_8),
        body -> new String(body, StandardCharsets.UTF_8));
  }
}
