package dev.herald.ring;

/**
 * What a {@link RingFollower} calls for each event it reads, and when it lost events.
 *
 * <pre>{@code
 * RingEventHandler printer = (ring, d) -> {
 *   byte[] payload = ring.copyPayload(d); // null if the writer already overwrote it
 *   System.out.println(d.seqno() + (payload == null ? " expired" : " ok"));
 * };
 * }</pre>
 */
@FunctionalInterface
public interface RingEventHandler {
  /**
   * One event, in sequence order. The descriptor is reused for the next event: copy what you keep.
   * Zero-copy payload reads must be confirmed with {@link EventRing#payloadValid} afterwards.
   *
   * @param ring the ring
   * @param descriptor the event
   */
  void onEvent(EventRing ring, EventDescriptor descriptor);

  /**
   * The writer lapped the reader: events from {@code expectedSeqno} were overwritten before they
   * were read. The follower then resumes at the newest event; by default nothing else happens.
   *
   * @param expectedSeqno the first sequence number that was lost
   * @param lastSeqno the writer's last allocated sequence number when the gap was seen
   */
  default void onGap(long expectedSeqno, long lastSeqno) {}
}
