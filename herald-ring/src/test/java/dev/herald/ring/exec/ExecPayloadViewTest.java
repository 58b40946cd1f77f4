package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ExecEventType;
import dev.herald.ring.RingException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built payloads: byte orders, odd offsets, trailing arrays and every malformed shape. */
class ExecPayloadViewTest {
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  private static MemorySegment log(int topics, int dataLength, long payloadSize) {
    MemorySegment p = Arena.ofAuto().allocate(Math.max(payloadSize, 32)).asSlice(0, payloadSize);
    if (payloadSize < 32) {
      return p;
    }
    p.set(INT, 0, 7);
    p.set(ValueLayout.JAVA_BYTE, 4, (byte) 0xaa);
    p.set(ValueLayout.JAVA_BYTE, 24, (byte) topics);
    p.set(INT, 28, dataLength);
    for (int i = 0; i < topics && 32 + 32L * i < payloadSize; i++) {
      p.set(ValueLayout.JAVA_BYTE, 32 + 32L * i, (byte) (i + 1));
    }
    return p;
  }

  @Test
  void aLogReadsItsTopicsThenItsData() {
    MemorySegment p = log(2, 3, 32 + 64 + 3);
    p.set(ValueLayout.JAVA_BYTE, 32 + 64, (byte) 9);
    TxnLog.View view = new TxnLog.View();
    view.wrap(p);
    assertTrue(view.valid());
    TxnLog log = view.toRecord();
    assertEquals(7, log.index());
    assertEquals(0xaa, log.address().get(0) & 0xff);
    assertEquals(2, log.topics().size());
    assertEquals(1, log.topics().get(0).get(0));
    assertEquals(2, log.topics().get(1).get(0));
    assertEquals(Bytes.ofHex("0x090000"), log.data());
    assertEquals(log, new ExecDecoder().decode(ExecEventType.TXN_LOG.code(), p));
  }

  @Test
  void lengthsThatDisagreeWithTheSizeAreBadPayloads() {
    TxnLog.View view = new TxnLog.View();
    RingException longer =
        assertThrows(RingException.class, () -> view.wrap(log(2, 3, 32 + 64 + 4)));
    assertEquals(RingException.Kind.BAD_PAYLOAD, longer.kind());
    assertTrue(longer.getMessage().contains("topic_count 2"), longer.getMessage());
    RingException shorter =
        assertThrows(RingException.class, () -> view.wrap(log(2, 3, 32 + 64 + 2)));
    assertEquals(RingException.Kind.BAD_PAYLOAD, shorter.kind());
    RingException tooManyTopics =
        assertThrows(RingException.class, () -> view.wrap(log(5, 0, 32 + 160)));
    assertEquals(RingException.Kind.BAD_PAYLOAD, tooManyTopics.kind());
    RingException truncated = assertThrows(RingException.class, () -> view.wrap(log(0, 0, 31)));
    assertTrue(truncated.getMessage().contains("shorter than its 32-byte struct"));
  }

  @Test
  void hugeCallFrameLengthsDoNotOverflow() {
    MemorySegment p = Arena.ofAuto().allocate(128 + 4);
    p.set(LONG, 112, -1L); // input_length 2^64 - 1
    p.set(LONG, 120, 5L);
    RingException e = assertThrows(RingException.class, () -> new TxnCallFrame.View().wrap(p));
    assertEquals(RingException.Kind.BAD_PAYLOAD, e.kind());
    p.set(LONG, 112, Long.MIN_VALUE + 2);
    p.set(LONG, 120, Long.MIN_VALUE + 2); // the sum wraps to 4
    assertThrows(RingException.class, () -> new TxnCallFrame.View().wrap(p));
  }

  @Test
  void fixedStructsMustHaveTheirExactSize() {
    MemorySegment p = Arena.ofAuto().allocate(25);
    RingException e = assertThrows(RingException.class, () -> new TxnEvmOutput.View().wrap(p));
    assertEquals(RingException.Kind.BAD_PAYLOAD, e.kind());
    MemorySegment start = Arena.ofAuto().allocate(528);
    start.set(LONG, 336, 33); // extra_data_length beyond the 32-byte field
    assertThrows(RingException.class, () -> new BlockStart.View().wrap(start));
  }

  @Test
  void theDecoderRefusesUnknownTypesAndMarkersWithBytes() {
    ExecDecoder decoder = new ExecDecoder();
    MemorySegment one = Arena.ofAuto().allocate(1);
    assertEquals(
        RingException.Kind.BAD_PAYLOAD,
        assertThrows(RingException.class, () -> decoder.decode(25, one)).kind());
    assertEquals(
        RingException.Kind.BAD_PAYLOAD,
        assertThrows(RingException.class, () -> decoder.decode(0, MemorySegment.NULL)).kind());
    assertEquals(
        RingException.Kind.BAD_PAYLOAD,
        assertThrows(RingException.class, () -> decoder.decode(ExecEventType.TXN_END.code(), one))
            .kind());
    assertEquals(
        new Marker(ExecEventType.TXN_END),
        decoder.decode(ExecEventType.TXN_END.code(), MemorySegment.NULL));
    assertEquals(
        RingException.Kind.BAD_PAYLOAD,
        assertThrows(
                RingException.class, () -> decoder.decode(ExecEventType.RECORD_ERROR.code(), one))
            .kind());
  }

  @Test
  void uint256IsLittleEndianAndBytes32IsNot() {
    MemorySegment p = Arena.ofAuto().allocate(152);
    p.set(ValueLayout.JAVA_BYTE, 40, (byte) 0x01); // prestate balance, least significant byte
    p.set(ValueLayout.JAVA_BYTE, 40 + 31, (byte) 0x80); // most significant byte
    p.set(ValueLayout.JAVA_BYTE, 72, (byte) 0xc5); // code hash, first byte
    AccountAccess a =
        (AccountAccess) new ExecDecoder().decode(ExecEventType.ACCOUNT_ACCESS.code(), p);
    assertEquals(BigInteger.ONE.shiftLeft(255).add(BigInteger.ONE), a.prestateBalance());
    assertEquals(0xc5, a.prestateCodeHash().get(0) & 0xff);
    MemorySegment s = Arena.ofAuto().allocate(124);
    s.set(ValueLayout.JAVA_BYTE, 27, (byte) 0x11); // key at its odd offset
    s.set(ValueLayout.JAVA_BYTE, 91 + 31, (byte) 0x22); // end value's last byte
    StorageAccess st =
        (StorageAccess) new ExecDecoder().decode(ExecEventType.STORAGE_ACCESS.code(), s);
    assertEquals(0x11, st.key().get(0));
    assertEquals(0x22, st.endValue().get(31));
  }

  @Test
  void aViewRefusesAnotherEventType() {
    assertThrows(IllegalArgumentException.class, () -> new Reject.View(ExecEventType.TXN_LOG));
    assertEquals("BadNonce", new Reject(ExecEventType.TXN_REJECT, 3).reason());
    assertEquals("code 99", new Reject(ExecEventType.BLOCK_REJECT, 99).reason());
    assertEquals(List.of(), new TxnLog(0, Bytes.EMPTY, 0, 0, List.of(), Bytes.EMPTY).topics());
  }
}
