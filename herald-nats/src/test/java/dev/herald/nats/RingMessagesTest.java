package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.RingHeader;
import dev.herald.ring.RingSize;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

/** The headers round-trip, and a message a ring exporter did not write is a clear error. */
class RingMessagesTest {
  private static final RingIdentity RING =
      new RingIdentity("0123456789abcdef0123456789abcdef", "h:/r");
  private static final RingHeader HEADER =
      RingHeader.of(ContentType.TEST, RingSize.ofShifts(16, 27));

  @Test
  void gapMarkerRoundTrips() {
    Headers headers = RingMessages.gapHeaders(RingMessages.ringHeaders(RING, HEADER), 5, 9, 1234);
    StreamEntry.Gap gap =
        assertInstanceOf(StreamEntry.Gap.class, RingMessages.read(headers, null, "m"));
    assertEquals(5, gap.first());
    assertEquals(9, gap.lastSeqno());
    assertEquals(5, gap.count());
    assertEquals(HEADER, gap.ring());
    assertEquals(RING.id(), gap.ringId());
  }

  @Test
  void foreignMessagesAreBadMessages() {
    NatsException none =
        assertThrows(NatsException.class, () -> RingMessages.read(null, null, "m 7"));
    assertEquals(NatsException.Kind.BAD_MESSAGE, none.kind());
    assertTrue(none.getMessage().startsWith("m 7"), none.getMessage());
    Headers noSeqno =
        RingMessages.ringHeaders(RING, HEADER)
            .put(RingMessages.RECORD_NANOS, "1")
            .put(RingMessages.FLOW_TAGS, "1,2,3,4")
            .put(RingMessages.EVENT_TYPE, "2");
    NatsException missing =
        assertThrows(NatsException.class, () -> RingMessages.read(noSeqno, new byte[1], "m"));
    assertTrue(missing.getMessage().contains(RingMessages.SEQNO), missing.getMessage());
    Headers badGap =
        RingMessages.ringHeaders(RING, HEADER)
            .put(RingMessages.RECORD_NANOS, "1")
            .put(RingMessages.GAP, "9-5");
    assertEquals(
        NatsException.Kind.BAD_MESSAGE,
        assertThrows(NatsException.class, () -> RingMessages.read(badGap, null, "m")).kind());
    Headers badSize = RingMessages.ringHeaders(RING, HEADER).put(RingMessages.RING_SIZE, "3:4:5");
    assertEquals(
        NatsException.Kind.BAD_MESSAGE,
        assertThrows(NatsException.class, () -> RingMessages.read(badSize, null, "m")).kind());
  }

  @Test
  void eventIdsNameTheRingAndTheSeqno() {
    assertEquals(RING.id() + ":42", RingMessages.eventMessageId(RING, 42));
    assertEquals(RING.id() + ":3-7", RingMessages.gapMessageId(RING, 3, 7));
    assertArrayEquals(HEADER.schemaHash(), ContentType.TEST.schemaHash());
  }

  private static <T> T assertInstanceOf(Class<T> type, Object value) {
    assertTrue(type.isInstance(value), String.valueOf(value));
    return type.cast(value);
  }
}
