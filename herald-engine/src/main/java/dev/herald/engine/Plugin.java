package dev.herald.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * An internal plugin: runs on its own thread inside the application, publishes through a {@link
 * Publisher} and receives the events matching its subscriptions through an {@link Inbox}. {@link
 * #start} runs once, after every plugin's subscriptions are in place; when it returns, the plugin
 * is finished.
 *
 * <pre>{@code
 * final class Counter implements Plugin {
 *   public String name() { return "counter"; }
 *   public List<EventType> subscriptions() { return List.of(TypeA); }
 *   public void start(Publisher publisher, Inbox inbox) {
 *     for (int i = 0; i < 5; i++) {
 *       byte[] body = TypeA.body(inbox.take());
 *       publisher.publish(TypeB.prefixed(Integer.toString(body.length).getBytes(UTF_8)));
 *     }
 *   }
 * }
 * }</pre>
 */
public interface Plugin {
  /**
   * Returns the name, also the plugin thread's name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns a unique id; by default derived from the name, so names must then be unique too.
   *
   * @return the id
   */
  default UUID id() {
    return UUID.nameUUIDFromBytes(("herald-plugin:" + name()).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the event types to receive: one prefix filter each. An empty list receives nothing; a
   * type with an empty filter receives everything, this plugin's own events included.
   *
   * @return the subscriptions
   */
  List<EventType> subscriptions();

  /**
   * The plugin's body. Throwing fails the application: the other plugins are stopped and {@link
   * App#run()} reports this exception.
   *
   * @param publisher publishes events
   * @param inbox receives the subscribed events
   * @throws Exception any failure
   */
  void start(Publisher publisher, Inbox inbox) throws Exception;
}
