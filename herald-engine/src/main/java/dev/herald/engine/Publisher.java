package dev.herald.engine;

import java.util.function.BooleanSupplier;

/**
 * A plugin's publish handle: every event goes to each plugin and TCP subscriber whose filter is a
 * prefix of it, in this publisher's order. The engine keeps a reference to the array: do not change
 * it after publishing.
 *
 * <pre>{@code
 * publisher.publish(TypeA.prefixed("hello".getBytes(UTF_8)));   // raw bytes
 * publisher.publish(new Greeting("hi"));                        // an Event
 * publisher.publish(readings, new Reading("t1", 21.5));         // through a codec
 * }</pre>
 */
public final class Publisher {
  private final Router router;
  private final BooleanSupplier stopping;

  Publisher(Router router, BooleanSupplier stopping) {
    this.router = router;
    this.stopping = stopping;
  }

  /**
   * Publishes one single-frame event. With {@link Overflow#BLOCK} queues this waits while a
   * subscriber's queue is full.
   *
   * @param event the wire bytes, filter included
   * @throws EngineException {@code CLOSED} if the application is shutting down
   */
  public void publish(byte[] event) {
    checkOpen();
    router.publish(event);
  }

  /**
   * Publishes an event's bytes.
   *
   * @param event the event
   */
  public void publish(Event event) {
    publish(event.toBytes());
  }

  /**
   * Publishes a value through a codec.
   *
   * @param codec the codec of the value's event type
   * @param value the value
   * @param <T> the value's type
   */
  public <T> void publish(EventCodec<T> codec, T value) {
    publish(codec.encode(value));
  }

  /**
   * Publishes one multi-frame event; filters match the first frame. External plugins receive its
   * frames one {@code next_msg} at a time, as upstream.
   *
   * @param frames the frames, at least one
   */
  public void publishMultipart(byte[]... frames) {
    if (frames.length == 0) {
      throw new IllegalArgumentException("a multi-frame event needs at least one frame");
    }
    checkOpen();
    router.publish(frames.length == 1 ? frames[0] : new Multipart(frames.clone()));
  }

  private void checkOpen() {
    if (stopping.getAsBoolean()) {
      throw new EngineException(
          EngineException.Kind.CLOSED, "the application is shutting down: event not published");
    }
  }
}
