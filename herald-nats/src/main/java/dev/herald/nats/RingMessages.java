package dev.herald.nats;

import dev.herald.ring.EventDescriptor;
import dev.herald.ring.RingHeader;
import dev.herald.ring.RingSize;
import io.nats.client.Message;
import io.nats.client.impl.Headers;

/**
 * The one place where a ring event becomes a NATS message: the header names and how their values
 * are written ({@link RingMessageDecoder} reads them back). The payload is the message body; the
 * rest travels in two headers of space-separated fields, numbers in decimal (sequence numbers and
 * flow tags unsigned). Few headers keep the per-message work small at both ends: the client
 * validates, writes and parses every header of every message.
 *
 * <table>
 *   <caption>Headers of every message</caption>
 *   <tr><th>header</th><th>value</th></tr>
 *   <tr><td>{@code Nats-Msg-Id}</td><td>{@code RINGID:SEQNO}, or {@code RINGID:FIRST-LAST} for a
 *       gap</td></tr>
 *   <tr><td>{@code Herald-Ring}</td><td>{@code RINGID CONTENT_TYPE SCHEMA_HASH
 *       DESCRIPTORS:PAYLOAD_BYTES:CONTEXT_BYTES HOST:PATH}: the {@link RingIdentity} (32 hex
 *       digits), the content type code, the schema hash (64 hex digits), the ring's sizes and where
 *       it was read (the rest of the value)</td></tr>
 *   <tr><td>{@code Herald-Event}</td><td>{@code SEQNO EVENT_TYPE RECORD_NANOS TAG0 TAG1 TAG2
 *       TAG3}: the event's sequence number, type code, {@code record_epoch_nanos} and four {@code
 *       content_ext} words (events only)</td></tr>
 *   <tr><td>{@code Herald-Gap}</td><td>{@code FIRST-LAST DETECTED_NANOS}: the missing sequence
 *       numbers and when the exporter saw them missing (gap markers only, which have no
 *       body)</td></tr>
 * </table>
 *
 * <pre>{@code
 * StreamEntry entry = RingMessages.read(message);
 * }</pre>
 */
public final class RingMessages {
  /** The source ring: identity, content type, schema hash, sizes and where it was read. */
  public static final String RING = "Herald-Ring";

  /** An event's descriptor: sequence number, type, record time and flow tags. */
  public static final String EVENT = "Herald-Event";

  /** A gap marker's missing range and when it was seen. */
  public static final String GAP = "Herald-Gap";

  private RingMessages() {}

  /**
   * The {@code Nats-Msg-Id} of an event.
   *
   * @param ring the source ring's identity
   * @param seqno the event's sequence number
   * @return {@code RINGID:SEQNO}
   */
  public static String eventMessageId(RingIdentity ring, long seqno) {
    return ring.id() + ":" + Long.toUnsignedString(seqno);
  }

  /**
   * The {@code Nats-Msg-Id} of a gap marker.
   *
   * @param ring the source ring's identity
   * @param first the first missing sequence number
   * @param last the last missing sequence number
   * @return {@code RINGID:FIRST-LAST}
   */
  public static String gapMessageId(RingIdentity ring, long first, long last) {
    return ring.id() + ":" + Long.toUnsignedString(first) + "-" + Long.toUnsignedString(last);
  }

  /** The {@value #RING} value of every message of a ring; made once per exporter. */
  static String ringValue(RingIdentity ring, RingHeader header) {
    RingSize size = header.size();
    return ring.id()
        + " "
        + header.contentTypeCode()
        + " "
        + header.schemaHashHex()
        + " "
        + size.descriptorCapacity()
        + ":"
        + size.payloadBufSize()
        + ":"
        + size.contextAreaSize()
        + " "
        + ring.source();
  }

  /** The headers of one event. */
  static Headers eventHeaders(String ringValue, EventDescriptor d) {
    StringBuilder event = new StringBuilder(112);
    appendUnsigned(event, d.seqno()).append(' ').append(d.eventType()).append(' ');
    event.append(d.recordEpochNanos());
    for (int i = 0; i < 4; i++) {
      appendUnsigned(event.append(' '), d.contentExt(i));
    }
    return new Headers().put(RING, ringValue).put(EVENT, event.toString());
  }

  /** The headers of a gap marker. */
  static Headers gapHeaders(String ringValue, long first, long last, long nowEpochNanos) {
    StringBuilder gap = new StringBuilder(48);
    appendUnsigned(appendUnsigned(gap, first).append('-'), last).append(' ').append(nowEpochNanos);
    return new Headers().put(RING, ringValue).put(GAP, gap.toString());
  }

  /**
   * Decodes a message of a ring's stream.
   *
   * @param message a message the exporter published (as consumed)
   * @return the event or gap marker
   * @throws NatsException of kind {@link NatsException.Kind#BAD_MESSAGE} if a header is missing or
   *     malformed
   */
  public static StreamEntry read(Message message) {
    return read(message.getHeaders(), message.getData(), "message on " + message.getSubject());
  }

  /**
   * Decodes a message from its headers and body.
   *
   * @param headers the message headers
   * @param body the message body (the payload), or null
   * @param where names the message in errors, e.g. its stream sequence
   * @return the event or gap marker
   * @throws NatsException of kind {@link NatsException.Kind#BAD_MESSAGE} if a header is missing or
   *     malformed
   */
  public static StreamEntry read(Headers headers, byte[] body, String where) {
    return new RingMessageDecoder().read(headers, body, () -> where);
  }

  private static StringBuilder appendUnsigned(StringBuilder b, long value) {
    return value >= 0 ? b.append(value) : b.append(Long.toUnsignedString(value));
  }
}
