package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.PollResult;
import dev.herald.ring.RingHeader;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import io.nats.client.impl.Headers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The headers round-trip, and a message a ring exporter did not write is a clear error. */
class RingMessagesTest {
  private static final RingIdentity RING =
      new RingIdentity("0123456789abcdef0123456789abcdef", "host:/dev/shm/my ring");
  private static final RingHeader HEADER =
      RingHeader.of(ContentType.TEST, RingSize.ofShifts(16, 27));
  private static final String RING_VALUE = RingMessages.ringValue(RING, HEADER);

  @TempDir Path dir;

  @Test
  void theRingHeaderIsOneValueOfFiveFieldsWithTheSourceLast() {
    assertEquals(
        RING.id()
            + " "
            + ContentType.TEST.code()
            + " "
            + HEADER.schemaHashHex()
            + " 65536:134217728:"
            + HEADER.size().contextAreaSize()
            + " host:/dev/shm/my ring",
        RING_VALUE);
  }

  @Test
  void anEventRoundTripsWithUnsignedSeqnoAndFlowTags() {
    Path path = dir.resolve("ring");
    RingWriter writer = RingWriter.create(path, ContentType.TEST, RingSize.ofShifts(16, 27));
    try (EventRing ring = EventRing.open(path, ContentType.TEST)) {
      writer
          .reserve(writer.newReservation(), TestEventType.TEST_VLT.code(), 8, -5)
          .putLong(0, 7)
          .contentExt(0, 1)
          .contentExt(1, -1)
          .contentExt(2, Long.MIN_VALUE)
          .contentExt(3, 0)
          .commit();
      EventDescriptor d = new EventDescriptor();
      var reader = ring.reader();
      reader.setSeqno(1);
      assertEquals(PollResult.EVENT, reader.poll(d));
      Headers headers = RingMessages.eventHeaders(RING_VALUE, d);
      assertEquals(
          "1 " + TestEventType.TEST_VLT.code() + " -5 1 18446744073709551615 9223372036854775808 0",
          headers.getFirst(RingMessages.EVENT));
      StreamEntry.Event e =
          assertInstanceOf(StreamEntry.Event.class, RingMessages.read(headers, new byte[8], "m"));
      assertEquals(1, e.seqno());
      assertEquals(TestEventType.TEST_VLT.code(), e.eventType());
      assertEquals(-5, e.recordEpochNanos());
      assertArrayEquals(new long[] {1, -1, Long.MIN_VALUE, 0}, e.flowTags());
      assertEquals(HEADER, e.ring());
      assertEquals(RING.id(), e.ringId());
    } finally {
      writer.close();
    }
  }

  @Test
  void gapMarkerRoundTrips() {
    Headers headers = RingMessages.gapHeaders(RING_VALUE, 5, -1L, 1234);
    assertEquals("5-18446744073709551615 1234", headers.getFirst(RingMessages.GAP));
    StreamEntry.Gap gap =
        assertInstanceOf(StreamEntry.Gap.class, RingMessages.read(headers, null, "m"));
    assertEquals(5, gap.first());
    assertEquals(-1L, gap.lastSeqno());
    assertEquals(1234, gap.detectedEpochNanos());
    assertEquals(HEADER, gap.ring());
    assertEquals(RING.id(), gap.ringId());
  }

  @Test
  void aDecoderParsesTheRingHeaderOnlyWhenItChanges() {
    RingMessageDecoder decoder = new RingMessageDecoder();
    StreamEntry first = decoder.read(RingMessages.gapHeaders(RING_VALUE, 1, 2, 3), null, () -> "m");
    StreamEntry second =
        decoder.read(RingMessages.gapHeaders(RING_VALUE, 3, 4, 5), null, () -> "m");
    assertSame(first.ring(), second.ring());
    RingIdentity other = new RingIdentity("fedcba9876543210fedcba9876543210", "host:/other");
    StreamEntry third =
        decoder.read(
            RingMessages.gapHeaders(RingMessages.ringValue(other, HEADER), 1, 1, 1),
            null,
            () -> "m");
    assertEquals(other.id(), third.ringId());
  }

  @Test
  void foreignOrDamagedMessagesAreBadMessagesNamingTheMessage() {
    assertBad(null, "m 7");
    assertBad(new Headers().put("Other", "x"), RingMessages.RING);
    assertBad(new Headers().put(RingMessages.RING, RING_VALUE), RingMessages.GAP);
    assertBad(event("1 2 3 4 5 6"), "too few fields");
    assertBad(event("1 2 3 4 5 6 7 8"), "too many fields");
    assertBad(event("1 2 x 4 5 6 7"), "malformed");
    assertBad(event("-1 2 3 4 5 6 7"), "malformed");
    assertBad(gap("9-5 1"), "not a range");
    assertBad(gap("5 1"), "FIRST-LAST NANOS");
    assertBad(
        new Headers()
            .put(RingMessages.RING, RING.id() + " 1 zz 1:2:3 h:/r")
            .put(RingMessages.GAP, "1-1 1"),
        "hex");
    assertBad(
        new Headers()
            .put(RingMessages.RING, RING.id() + " 1 00 3:4 h:/r")
            .put(RingMessages.GAP, "1-1 1"),
        "sizes");
  }

  @Test
  void eventIdsNameTheRingAndTheSeqno() {
    assertEquals(RING.id() + ":42", RingMessages.eventMessageId(RING, 42));
    assertEquals(RING.id() + ":3-7", RingMessages.gapMessageId(RING, 3, 7));
    assertArrayEquals(HEADER.schemaHash(), ContentType.TEST.schemaHash());
  }

  private static Headers event(String value) {
    return new Headers().put(RingMessages.RING, RING_VALUE).put(RingMessages.EVENT, value);
  }

  private static Headers gap(String value) {
    return new Headers().put(RingMessages.RING, RING_VALUE).put(RingMessages.GAP, value);
  }

  private static void assertBad(Headers headers, String mentions) {
    NatsException e =
        assertThrows(NatsException.class, () -> RingMessages.read(headers, new byte[1], "m 7"));
    assertEquals(NatsException.Kind.BAD_MESSAGE, e.kind());
    assertTrue(e.getMessage().startsWith("m 7"), e.getMessage());
    assertTrue(e.getMessage().contains(mentions), e.getMessage());
  }

  private static <T> T assertInstanceOf(Class<T> type, Object value) {
    assertTrue(type.isInstance(value), String.valueOf(value));
    return type.cast(value);
  }
}
