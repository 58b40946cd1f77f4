package dev.herald.ring;

/**
 * What a reader can learn about a live ring's writer ({@link RingLiveness#state}).
 *
 * <pre>{@code
 * if (RingLiveness.state(ring) == WriterState.REPLACED) {
 *   ring.close();
 *   ring = EventRing.open(path, ContentType.EXEC); // the new writer's ring
 * }
 * }</pre>
 */
public enum WriterState {
  /** A live process holds the ring's exclusive writer lock. */
  ALIVE,
  /** No process holds the lock (it exited or crashed), or the file was removed. */
  GONE,
  /** The path now names a different file: the writer restarted and created a new ring. */
  REPLACED
}
