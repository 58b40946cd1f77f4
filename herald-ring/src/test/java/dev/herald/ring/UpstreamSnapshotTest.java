package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every event of the real rings recorded by the upstream daemon, read back and cross-checked. */
class UpstreamSnapshotTest {
  @TempDir Path dir;

  /** One event as read, with its payload copied. */
  record Ev(long seqno, ExecEventType type, long size, long offset, long[] ext, byte[] payload) {}

  static List<Ev> readAll(EventRing ring) {
    List<Ev> all = new ArrayList<>();
    EventReader reader = ring.reader();
    reader.setSeqno(1); // a live ring's reader starts at the newest event; replay from the first
    EventDescriptor d = new EventDescriptor();
    PollResult r;
    while ((r = reader.poll(d)) == PollResult.EVENT) {
      byte[] payload = ring.copyPayload(d);
      assertNotNull(payload, "payload of " + d + " expired in a snapshot");
      all.add(
          new Ev(
              d.seqno(),
              ExecEventType.ofCode(d.eventType()),
              d.payloadSize(),
              d.payloadBufOffset(),
              new long[] {d.contentExt(0), d.contentExt(1), d.contentExt(2), d.contentExt(3)},
              payload));
    }
    assertEquals(PollResult.NOT_READY, r, "a snapshot ends with NOT_READY, never a gap");
    return all;
  }

  /** Sizes of the fixed payload structs (x86-64 upstream headers); -1 = has a variable tail. */
  private static final Map<ExecEventType, Integer> FIXED_SIZE = new EnumMap<>(ExecEventType.class);

  static {
    FIXED_SIZE.put(ExecEventType.BLOCK_START, 528);
    FIXED_SIZE.put(ExecEventType.BLOCK_REJECT, 4);
    FIXED_SIZE.put(ExecEventType.BLOCK_PERF_EVM_ENTER, 0);
    FIXED_SIZE.put(ExecEventType.BLOCK_PERF_EVM_EXIT, 0);
    FIXED_SIZE.put(ExecEventType.BLOCK_END, 360);
    FIXED_SIZE.put(ExecEventType.BLOCK_QC, 56);
    FIXED_SIZE.put(ExecEventType.BLOCK_FINALIZED, 40);
    FIXED_SIZE.put(ExecEventType.BLOCK_VERIFIED, 8);
    FIXED_SIZE.put(ExecEventType.TXN_ACCESS_LIST_ENTRY, -28);
    FIXED_SIZE.put(ExecEventType.TXN_AUTH_LIST_ENTRY, 168);
    FIXED_SIZE.put(ExecEventType.TXN_HEADER_START, -352);
    FIXED_SIZE.put(ExecEventType.TXN_HEADER_END, 0);
    FIXED_SIZE.put(ExecEventType.TXN_REJECT, 4);
    FIXED_SIZE.put(ExecEventType.TXN_PERF_EVM_ENTER, 0);
    FIXED_SIZE.put(ExecEventType.TXN_PERF_EVM_EXIT, 0);
    FIXED_SIZE.put(ExecEventType.TXN_EVM_OUTPUT, 24);
    FIXED_SIZE.put(ExecEventType.TXN_LOG, -32);
    FIXED_SIZE.put(ExecEventType.TXN_CALL_FRAME, -128);
    FIXED_SIZE.put(ExecEventType.TXN_END, 0);
    FIXED_SIZE.put(ExecEventType.ACCOUNT_ACCESS_LIST_HEADER, 8);
    FIXED_SIZE.put(ExecEventType.ACCOUNT_ACCESS, 152);
    FIXED_SIZE.put(ExecEventType.STORAGE_ACCESS, 124);
    FIXED_SIZE.put(ExecEventType.EVM_ERROR, 16);
  }

  /** What the bytes themselves imply, for any exec ring recorded from the first event on. */
  static void checkStructure(EventRing ring, List<Ev> events) {
    long offset = events.getFirst().offset();
    long blockStart = 0;
    for (int i = 0; i < events.size(); i++) {
      Ev e = events.get(i);
      assertEquals(i + 1, e.seqno(), "sequence numbers are contiguous from 1");
      assertNotNull(e.type(), "event " + e.seqno() + " has an exec event type");
      assertTrue(
          e.type() != ExecEventType.NONE && e.type() != ExecEventType.RECORD_ERROR,
          "event " + e.seqno() + " is " + e.type());
      assertEquals(offset, e.offset(), "payload of " + e.seqno() + " follows the previous one");
      assertEquals(0, e.offset() % 16, "payload offsets are 16-byte aligned");
      offset += (e.size() + 15) & -16L;
      int fixed = FIXED_SIZE.get(e.type());
      if (fixed >= 0) {
        assertEquals(fixed, e.size(), "payload size of " + e.type() + " at " + e.seqno());
      } else {
        assertTrue(e.size() >= -fixed, e.type() + " is at least its fixed part");
      }
      assertEquals(0, e.ext()[3], "content_ext[3] is never written");
      switch (e.type()) {
        case BLOCK_START -> {
          assertEquals(0, blockStart, "blocks do not nest");
          blockStart = e.seqno();
          assertEquals(e.seqno(), e.ext()[ExecFlowTag.BLOCK_SEQNO], "BLOCK_START points at itself");
        }
        case BLOCK_QC, BLOCK_FINALIZED, BLOCK_VERIFIED ->
            assertEquals(0, e.ext()[ExecFlowTag.BLOCK_SEQNO], e.type() + " is outside blocks");
        default -> {
          assertTrue(blockStart != 0, e.type() + " at " + e.seqno() + " is inside a block");
          assertEquals(blockStart, e.ext()[ExecFlowTag.BLOCK_SEQNO], "block flow tag");
          if (e.type() == ExecEventType.BLOCK_END) {
            blockStart = 0;
          }
        }
      }
      boolean txnEvent = e.type().name().startsWith("TXN_");
      if (txnEvent) {
        assertTrue(e.ext()[ExecFlowTag.TXN_ID] > 0, e.type() + " carries a transaction id");
      }
      if (e.type().name().startsWith("BLOCK_")) {
        assertEquals(0, e.ext()[ExecFlowTag.TXN_ID], e.type() + " has no transaction");
      }
    }
    assertEquals(events.size(), ring.lastSeqno(), "last_seqno is the last event");
    assertEquals(offset, ring.nextPayloadByte(), "next_payload_byte follows the last payload");
    EventDescriptor d = new EventDescriptor();
    for (Ev e : events) {
      assertTrue(ring.tryCopy(e.seqno(), d), "random access to " + e.seqno());
      assertEquals(e.offset(), d.payloadBufOffset());
    }
  }

  @Test
  void emn1bHoldsItsSixThousandFiveHundredNinetySevenEvents() throws IOException {
    Path snapshot = UpstreamData.emn1b();
    assertTrue(RingSnapshots.isSnapshot(snapshot));
    try (EventRing ring = EventRing.openSnapshot(snapshot, ContentType.EXEC)) {
      RingHeader h = ring.header();
      assertEquals(ContentType.EXEC, h.contentType());
      assertEquals(
          "8933f907c432c98ac0c8db62f9aa164c0c3f1672f41290e4ea3408df6c6723f3", h.schemaHashHex());
      assertEquals(new RingSize(65_536, 1 << 27, 0), h.size());
      assertEquals(140_509_184L, h.size().storageSize());
      List<Ev> events = readAll(ring);
      assertEquals(6_597, events.size());
      checkStructure(ring, events);
    }
    // The upstream snapshot writer leaves the file 8 bytes short of the ring's storage size.
    Path raw = dir.resolve("emn-1b.ring");
    RingSnapshots.decompress(snapshot, raw);
    assertEquals(140_509_184L - 8, Files.size(raw));
    try (EventRing ring = EventRing.open(raw, ContentType.EXEC)) {
      assertEquals(6_597, readAll(ring).size());
    }
  }

  @Test
  void emn30bMatchesTheUpstreamDecodingBlockByBlock() throws IOException {
    Path data = UpstreamData.emn30bDir();
    JsonNode expected;
    try (InputStream in =
        new ZstdInputStream(Files.newInputStream(data.resolve("expected.json.zst")))) {
      expected = new ObjectMapper().readTree(in);
    }
    try (EventRing ring = EventRing.openSnapshot(data.resolve("snapshot.zst"), ContentType.EXEC)) {
      assertEquals(new RingSize(262_144, 1 << 27, 0), ring.header().size());
      List<Ev> events = readAll(ring);
      assertEquals(136_891, events.size());
      checkStructure(ring, events);

      // Consensus milestones, in ring order, against the decoding's blocks and referendums.
      List<String> fromRing = new ArrayList<>();
      List<Integer> txnsPerBlock = new ArrayList<>();
      int txns = 0;
      for (Ev e : events) {
        MemorySegment p = MemorySegment.ofArray(e.payload());
        switch (e.type()) {
          case BLOCK_START -> {
            fromRing.add("Executed " + blockTag(p));
            txns = 0;
          }
          case TXN_HEADER_START -> txns++;
          case BLOCK_END -> txnsPerBlock.add(txns);
          case BLOCK_QC -> fromRing.add("Voted " + blockTag(p));
          case BLOCK_FINALIZED -> fromRing.add("Finalized " + blockTag(p));
          case BLOCK_VERIFIED ->
              fromRing.add("Verified " + p.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
          default -> {}
        }
      }
      List<String> fromJson = new ArrayList<>();
      List<Integer> jsonTxns = new ArrayList<>();
      for (JsonNode entry : expected) {
        JsonNode executed = entry.get("Executed");
        if (executed != null) {
          fromJson.add("Executed " + jsonTag(executed.get("block_tag")));
          jsonTxns.add(executed.get("transactions").size());
        } else {
          JsonNode ref = entry.get("Referendum");
          String outcome = ref.get("outcome").asText();
          JsonNode tag = ref.get("block_tag");
          fromJson.add(
              outcome.equals("Verified")
                  ? "Verified " + tag.get("block_number").asLong()
                  : outcome + " " + jsonTag(tag));
        }
      }
      // The decoding goes one block further than the ring (block 15000031 and the last
      // referendums were captured after the snapshot); everything the ring has matches, in order.
      assertEquals(31, jsonTxns.size());
      assertEquals(30, txnsPerBlock.size());
      assertEquals(fromJson.subList(0, fromRing.size()), fromRing);
      assertEquals(jsonTxns.subList(0, 30), txnsPerBlock);
      assertTrue(fromRing.getLast().startsWith("Finalized 15000030 "), fromRing.getLast());
    }
  }

  /** A block_tag struct: bytes32 id, then uint64 block number. */
  private static String blockTag(MemorySegment p) {
    byte[] id = p.asSlice(0, 32).toArray(ValueLayout.JAVA_BYTE);
    return p.get(ValueLayout.JAVA_LONG_UNALIGNED, 32) + " 0x" + HexFormat.of().formatHex(id);
  }

  private static String jsonTag(JsonNode tag) {
    return tag.get("block_number").asLong() + " " + tag.get("id").asText();
  }

  @Test
  void randomAccessOutsideTheRingFails() {
    try (EventRing ring = EventRing.openSnapshot(UpstreamData.emn1b(), ContentType.EXEC)) {
      EventDescriptor d = new EventDescriptor();
      assertTrue(!ring.tryCopy(0, d));
      assertTrue(!ring.tryCopy(6_598, d));
      assertTrue(ring.tryCopy(6_597, d));
      assertArrayEquals(
          new long[] {6_597}, new long[] {d.seqno()}, "the last event is reachable by seqno");
    }
  }
}
