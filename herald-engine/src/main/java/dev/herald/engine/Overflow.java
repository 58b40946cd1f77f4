package dev.herald.engine;

/**
 * What a full plugin queue does with one more event.
 *
 * <pre>{@code
 * new App(5559, 5560).overflow(Overflow.DROP_NEWEST).queueCapacity(4096); // internal plugins
 * }</pre>
 */
public enum Overflow {
  /** The publisher waits until the subscriber has taken an event: nothing is lost. */
  BLOCK,
  /**
   * The new event is dropped for this subscriber and counted ({@link QueueStats#dropped()}); the
   * queue keeps the oldest events, as a ZeroMQ SUB at its high-water mark does.
   */
  DROP_NEWEST
}
