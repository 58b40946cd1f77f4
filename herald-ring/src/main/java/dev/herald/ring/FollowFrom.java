package dev.herald.ring;

/**
 * Where a {@link RingFollower} starts, and where it resumes after the writer lapped it.
 *
 * <pre>{@code
 * // Everything the ring still holds, then new events as they come:
 * RingFollower follower = new RingFollower(ring, FollowFrom.OLDEST, handler);
 * }</pre>
 */
public enum FollowFrom {
  /**
   * Start at the newest event and, after a gap, resume at the newest again: what upstream's {@code
   * eventwatch} does for a live ring, the lowest latency for a reader that only wants what is new.
   */
  NEWEST,

  /**
   * Start at the oldest event the ring still holds (descriptor in its slot, payload not expired)
   * and, after a gap, resume at the oldest one still held: a replay that loses as few events as
   * possible. A snapshot, which cannot change, is always followed this way.
   */
  OLDEST
}
