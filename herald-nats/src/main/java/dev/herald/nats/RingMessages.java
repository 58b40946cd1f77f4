package dev.herald.nats;

import dev.herald.ring.EventDescriptor;
import dev.herald.ring.RingHeader;
import dev.herald.ring.RingSize;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.util.HexFormat;

/**
 * The one place where a ring event becomes a NATS message and back: the header names and how their
 * values are written. The payload is the message body; everything else travels in headers, as
 * decimal text (flow tags and sequence numbers as unsigned decimals).
 *
 * <table>
 *   <caption>Headers of every message</caption>
 *   <tr><th>header</th><th>value</th></tr>
 *   <tr><td>{@code Nats-Msg-Id}</td><td>{@code RINGID:SEQNO}, or {@code RINGID:FIRST-LAST} for a
 *       gap</td></tr>
 *   <tr><td>{@code Herald-Ring-Id}</td><td>the {@link RingIdentity} (32 hex digits)</td></tr>
 *   <tr><td>{@code Herald-Ring-Source}</td><td>{@code host:path} of the source ring</td></tr>
 *   <tr><td>{@code Herald-Ring-Type}</td><td>content type code</td></tr>
 *   <tr><td>{@code Herald-Ring-Schema}</td><td>schema hash, 64 hex digits</td></tr>
 *   <tr><td>{@code Herald-Ring-Size}</td><td>{@code DESCRIPTORS:PAYLOAD_BYTES:CONTEXT_BYTES}</td></tr>
 *   <tr><td>{@code Herald-Record-Nanos}</td><td>the event's {@code record_epoch_nanos}; for a gap,
 *       when it was seen</td></tr>
 *   <tr><td>{@code Herald-Seqno}</td><td>the event's sequence number (events only)</td></tr>
 *   <tr><td>{@code Herald-Event-Type}</td><td>the event type code (events only)</td></tr>
 *   <tr><td>{@code Herald-Flow-Tags}</td><td>the four {@code content_ext} words, comma-separated
 *       (events only)</td></tr>
 *   <tr><td>{@code Herald-Gap}</td><td>{@code FIRST-LAST}, the missing sequence numbers (gap markers
 *       only, which have no body)</td></tr>
 * </table>
 *
 * <pre>{@code
 * StreamEntry entry = RingMessages.read(message);
 * }</pre>
 */
public final class RingMessages {
  /** The ring identity. */
  public static final String RING_ID = "Herald-Ring-Id";

  /** Where the ring was read. */
  public static final String RING_SOURCE = "Herald-Ring-Source";

  /** The content type code. */
  public static final String RING_TYPE = "Herald-Ring-Type";

  /** The schema hash. */
  public static final String RING_SCHEMA = "Herald-Ring-Schema";

  /** The ring's three sizes. */
  public static final String RING_SIZE = "Herald-Ring-Size";

  /** The event's sequence number. */
  public static final String SEQNO = "Herald-Seqno";

  /** The event type code. */
  public static final String EVENT_TYPE = "Herald-Event-Type";

  /** The event's record time. */
  public static final String RECORD_NANOS = "Herald-Record-Nanos";

  /** The four flow tags. */
  public static final String FLOW_TAGS = "Herald-Flow-Tags";

  /** A gap marker's missing range. */
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

  /** Headers common to every message of a ring; copied into each message's own headers. */
  static Headers ringHeaders(RingIdentity ring, RingHeader header) {
    RingSize size = header.size();
    return new Headers()
        .put(RING_ID, ring.id())
        .put(RING_SOURCE, ring.source())
        .put(RING_TYPE, Integer.toString(header.contentTypeCode()))
        .put(RING_SCHEMA, header.schemaHashHex())
        .put(
            RING_SIZE,
            size.descriptorCapacity() + ":" + size.payloadBufSize() + ":" + size.contextAreaSize());
  }

  /** The headers of one event. */
  static Headers eventHeaders(Headers ring, EventDescriptor d) {
    return new Headers(ring)
        .put(SEQNO, Long.toUnsignedString(d.seqno()))
        .put(EVENT_TYPE, Integer.toString(d.eventType()))
        .put(RECORD_NANOS, Long.toString(d.recordEpochNanos()))
        .put(
            FLOW_TAGS,
            Long.toUnsignedString(d.contentExt(0))
                + ","
                + Long.toUnsignedString(d.contentExt(1))
                + ","
                + Long.toUnsignedString(d.contentExt(2))
                + ","
                + Long.toUnsignedString(d.contentExt(3)));
  }

  /** The headers of a gap marker. */
  static Headers gapHeaders(Headers ring, long first, long last, long nowEpochNanos) {
    return new Headers(ring)
        .put(GAP, Long.toUnsignedString(first) + "-" + Long.toUnsignedString(last))
        .put(RECORD_NANOS, Long.toString(nowEpochNanos));
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
    if (headers == null) {
      throw bad(where, "it has no headers: it was not published by a Herald ring exporter");
    }
    String ringId = required(headers, RING_ID, where);
    RingHeader ring;
    try {
      String[] sizes = required(headers, RING_SIZE, where).split(":");
      if (sizes.length != 3) {
        throw bad(where, RING_SIZE + " must be three numbers separated by ':'");
      }
      ring =
          new RingHeader(
              Integer.parseInt(required(headers, RING_TYPE, where)),
              HexFormat.of().parseHex(required(headers, RING_SCHEMA, where)),
              new RingSize(
                  Long.parseLong(sizes[0]), Long.parseLong(sizes[1]), Long.parseLong(sizes[2])));
      long recordNanos = Long.parseLong(required(headers, RECORD_NANOS, where));
      String gap = headers.getFirst(GAP);
      if (gap != null) {
        int dash = gap.indexOf('-');
        long first = Long.parseUnsignedLong(gap.substring(0, dash));
        long last = Long.parseUnsignedLong(gap.substring(dash + 1));
        if (first == 0 || Long.compareUnsigned(first, last) > 0) {
          throw bad(where, GAP + " '" + gap + "' is not a range FIRST-LAST of seqnos");
        }
        return new StreamEntry.Gap(ringId, ring, first, last, recordNanos);
      }
      String[] tags = required(headers, FLOW_TAGS, where).split(",");
      if (tags.length != 4) {
        throw bad(where, FLOW_TAGS + " must be four numbers separated by ','");
      }
      long[] flowTags = new long[4];
      for (int i = 0; i < 4; i++) {
        flowTags[i] = Long.parseUnsignedLong(tags[i]);
      }
      return new StreamEntry.Event(
          ringId,
          ring,
          Long.parseUnsignedLong(required(headers, SEQNO, where)),
          Integer.parseInt(required(headers, EVENT_TYPE, where)),
          recordNanos,
          flowTags,
          body == null ? new byte[0] : body);
    } catch (RuntimeException e) {
      if (e instanceof NatsException n) {
        throw n;
      }
      throw new NatsException(
          NatsException.Kind.BAD_MESSAGE,
          where + " has a malformed Herald header (" + e.getMessage() + ")",
          e);
    }
  }

  private static String required(Headers headers, String name, String where) {
    String value = headers.getFirst(name);
    if (value == null) {
      throw bad(where, "header " + name + " is missing: it was not published by a ring exporter");
    }
    return value;
  }

  private static NatsException bad(String where, String what) {
    return new NatsException(NatsException.Kind.BAD_MESSAGE, where + ": " + what);
  }
}
