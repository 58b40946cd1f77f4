package dev.herald.engine;

/**
 * An event that serialises itself to its wire bytes. By convention the bytes start with the filter
 * of the event's {@link EventType}; the engine never adds or strips a prefix. Each application
 * chooses its own body format per type.
 *
 * <pre>{@code
 * record Greeting(String text) implements Event {
 *   static final EventType TYPE = EventType.named("Greeting");
 *   public byte[] toBytes() { return TYPE.prefixed(text.getBytes(UTF_8)); }
 * }
 * publisher.publish(new Greeting("hi"));
 * }</pre>
 */
public interface Event {
  /**
   * Returns the full wire payload: the type's filter followed by the body.
   *
   * @return the bytes sent as one frame
   */
  byte[] toBytes();
}
