package dev.herald.nats;

import dev.herald.ring.RingHeader;

/**
 * One message of a ring's stream, decoded: an event, or the marker of events the exporter could not
 * read (the ring's writer lapped it, or a payload expired before it was copied).
 *
 * <pre>{@code
 * switch (RingMessages.read(message)) {
 *   case StreamEntry.Event e -> System.out.println(e.seqno() + " " + e.payload().length);
 *   case StreamEntry.Gap g -> System.out.println("lost " + g.count() + " events");
 * }
 * }</pre>
 */
public sealed interface StreamEntry {
  /**
   * The identity of the ring the entry came from.
   *
   * @return the ring identity's hex digits ({@link RingIdentity#id()})
   */
  String ringId();

  /**
   * The source ring's content type, schema hash and sizes.
   *
   * @return the header
   */
  RingHeader ring();

  /**
   * The last source sequence number this entry accounts for: an exporter resumes after it.
   *
   * @return the event's seqno, or a gap's last missing seqno
   */
  long lastSeqno();

  /**
   * An event, as the source ring held it.
   *
   * @param ringId the source ring's identity
   * @param ring the source ring's header
   * @param seqno the event's sequence number in the source ring
   * @param eventType the event type code
   * @param recordEpochNanos the writer's {@code CLOCK_REALTIME} stamp
   * @param flowTags the four {@code content_ext} words
   * @param payload the payload bytes
   */
  record Event(
      String ringId,
      RingHeader ring,
      long seqno,
      int eventType,
      long recordEpochNanos,
      long[] flowTags,
      byte[] payload)
      implements StreamEntry {
    @Override
    public long lastSeqno() {
      return seqno;
    }
  }

  /**
   * Events {@code first} to {@code last} (inclusive) that the exporter could not read.
   *
   * @param ringId the source ring's identity
   * @param ring the source ring's header
   * @param first the first missing sequence number
   * @param last the last missing sequence number
   * @param detectedEpochNanos when the exporter noticed, {@code CLOCK_REALTIME}
   */
  record Gap(String ringId, RingHeader ring, long first, long last, long detectedEpochNanos)
      implements StreamEntry {
    @Override
    public long lastSeqno() {
      return last;
    }

    /**
     * How many events are missing.
     *
     * @return {@code last - first + 1}
     */
    public long count() {
      return last - first + 1;
    }
  }
}
