package dev.herald.ring;

/**
 * What {@link EventReader#poll} found ({@code monad_event_iter_result}).
 *
 * <pre>{@code
 * switch (reader.poll(d)) {
 *   case EVENT -> handle(d);
 *   case NOT_READY -> idle();
 *   case GAP -> reader.reset(); // lapped by the writer: events were lost
 * }
 * }</pre>
 */
public enum PollResult {
  /** The next event was copied into the descriptor and the reader moved past it. */
  EVENT,
  /** The next event has not been published yet. */
  NOT_READY,
  /** The writer overwrote the next event before it was read; the reader did not move. */
  GAP
}
