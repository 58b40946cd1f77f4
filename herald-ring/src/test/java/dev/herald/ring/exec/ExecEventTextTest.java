package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ExecEventType;
import dev.herald.ring.exec.SnapshotEvents.Ev;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoded summaries of the snapshot's first block, checked against the spec's walk-through. */
class ExecEventTextTest {
  private static String text(long seqno) {
    Ev e = SnapshotEvents.all().get((int) seqno - 1);
    assertEquals(seqno, e.seqno());
    return ExecEventText.of(e.decoded());
  }

  private static void assertStarts(String prefix, String text) {
    assertTrue(text.startsWith(prefix), text);
  }

  @Test
  void everyEventHasASummaryAndOnlyMarkersAnEmptyOne() {
    for (Ev e : SnapshotEvents.all()) {
      String text = ExecEventText.of(e.decoded());
      assertEquals(e.decoded() instanceof Marker, text.isEmpty(), "seqno " + e.seqno());
      assertFalse(text.contains("\n"), text);
    }
  }

  @Test
  void theFirstBlockReadsAsTheSpecDescribesIt() {
    String id = "0x0000000000000000000000000000000000000000000000000000000000e4e1c1";
    assertStarts(
        "number=15000001 id="
            + id
            + " round=15000001 epoch=0 txns=229 gas_limit=30000000 timestamp=1655778552"
            + " base_fee=15925895345 parent=0x9a71a95b",
        text(1));
    assertEquals("entries=0 context=prologue", text(3));
    assertEquals("", text(4));
    assertEquals(
        "hash=0xaedb8ef26125d8ad6e0c5f19fc9cbdd7f4a42eb82de88686b39090b8abcfeb8f"
            + " sender=0x6d72dc1b254fb818a1382a05212466b83424e469 type=2 nonce=6 gas_limit=30000000"
            + " to=0x30f7bf69d92828441f5a6bfcf818df25deb2c4b4 value=0 data=644B access_list=0"
            + " auth_list=0",
        text(234));
    assertEquals("status=failure gas_used=30300 logs=0 call_frames=1", text(236));
    String frame = text(237);
    assertStarts(
        "index=0 depth=0 op=CALL caller=0x6d72dc1b254fb818a1382a05212466b83424e469"
            + " target=0x30f7bf69d92828441f5a6bfcf818df25deb2c4b4 value=0 gas=",
        frame);
    assertTrue(frame.endsWith(" gas_used=30300 evmc_status=2 input=644B return=100B"), frame);
    assertEquals("entries=4 context=transaction", text(238));
    assertStarts(
        "index=0 address=0x58124619a4ea38d215d36c962ac5cd73462acdd6 topics=1 data=32B"
            + " topic0=0x0fe4cb1d",
        text(249));
    assertEquals("entries=1 context=epilogue", text(6592));
    assertStarts(
        "index=0 address=0x1ad91ee08f21be3de0ba2ba6918e714da6b45836 context=epilogue balance=",
        text(6593));
    assertStarts(
        "hash=0x7a7d7c23bb8c5e340eead8537bb5e2f3e125bfa0b588cf07e4aa140ba374295e"
            + " gas_used=22516578 state_root=0x5e215f13",
        text(6595));
    assertEquals("number=15000001 id=" + id + " round=15000002 epoch=0", text(6596));
    assertEquals("number=15000001 id=" + id, text(6597));
    assertEquals("number=15000001", text(6598));
  }

  @Test
  void valuesTheSnapshotLacksHaveTheirOwnForms() {
    assertEquals(
        "reason=BadNonce code=3", ExecEventText.of(new Reject(ExecEventType.TXN_REJECT, 3)));
    assertEquals("domain=7 status=-2", ExecEventText.of(new EvmError(7, -2)));
    Bytes zero = Bytes.of(new byte[20]);
    assertEquals(
        "index=0 address=" + zero + " authority=invalid nonce=18446744073709551615 chain_id=1",
        ExecEventText.of(
            new TxnAuthListEntry(
                0,
                java.math.BigInteger.ONE,
                zero,
                -1,
                false,
                java.math.BigInteger.ZERO,
                java.math.BigInteger.ZERO,
                zero,
                false)));
    assertEquals(
        "index=2 address=" + zero + " storage_keys=0",
        ExecEventText.of(new TxnAccessListEntry(2, zero, 0, List.of())));
  }
}
