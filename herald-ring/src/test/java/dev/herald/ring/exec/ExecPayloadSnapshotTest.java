package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.ExecFlowTag;
import dev.herald.ring.PollResult;
import dev.herald.ring.UpstreamData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every EXEC event of the upstream 30-block snapshot through the views and records. */
class ExecPayloadSnapshotTest {
  /** One event: its descriptor fields and its payload decoded in place (view path). */
  record Decoded(long seqno, ExecEventType type, long size, long[] ext, ExecPayload payload) {}

  private static EventRing ring;
  private static List<Decoded> events;

  @BeforeAll
  static void decodeAll() {
    Path data = UpstreamData.emn30bDir();
    ring = EventRing.openSnapshot(data.resolve("snapshot.zst"), ContentType.EXEC);
    events = new ArrayList<>();
    ExecDecoder inPlace = new ExecDecoder();
    ExecDecoder fromCopy = new ExecDecoder();
    EventReader reader = ring.reader();
    EventDescriptor d = new EventDescriptor();
    while (reader.poll(d) == PollResult.EVENT) {
      ExecPayload p = inPlace.decode(ring, d);
      assertNotNull(p, "a snapshot's payloads never expire: " + d);
      byte[] copy = ring.copyPayload(d);
      assertEquals(
          p,
          fromCopy.decode(d.eventType(), MemorySegment.ofArray(copy)),
          "view over the ring and view over a copy agree at " + d.seqno());
      events.add(
          new Decoded(
              d.seqno(),
              ExecEventType.ofCode(d.eventType()),
              d.payloadSize(),
              new long[] {d.contentExt(0), d.contentExt(1), d.contentExt(2)},
              p));
    }
  }

  @AfterAll
  static void close() {
    if (ring != null) {
      ring.close();
    }
  }

  @Test
  void everyEventDecodesWithTheUpstreamCounts() {
    assertEquals(136_891, events.size());
    Map<ExecEventType, Integer> counts = new EnumMap<>(ExecEventType.class);
    for (Decoded e : events) {
      counts.merge(e.type(), 1, Integer::sum);
      assertEquals(e.type(), e.payload().type());
    }
    assertEquals(30, counts.get(ExecEventType.BLOCK_START));
    assertEquals(30, counts.get(ExecEventType.BLOCK_END));
    assertEquals(30, counts.get(ExecEventType.BLOCK_QC));
    assertEquals(30, counts.get(ExecEventType.BLOCK_FINALIZED));
    assertEquals(29, counts.get(ExecEventType.BLOCK_VERIFIED));
    assertEquals(6_187, counts.get(ExecEventType.TXN_HEADER_START));
    assertEquals(121, counts.get(ExecEventType.TXN_ACCESS_LIST_ENTRY));
    assertEquals(6_187, counts.get(ExecEventType.TXN_EVM_OUTPUT));
    assertEquals(8_299, counts.get(ExecEventType.TXN_LOG));
    assertEquals(21_077, counts.get(ExecEventType.TXN_CALL_FRAME));
    assertEquals(6_247, counts.get(ExecEventType.ACCOUNT_ACCESS_LIST_HEADER));
    assertEquals(25_530, counts.get(ExecEventType.ACCOUNT_ACCESS));
    assertEquals(38_286, counts.get(ExecEventType.STORAGE_ACCESS));
    assertNull(counts.get(ExecEventType.RECORD_ERROR));
    assertNull(counts.get(ExecEventType.EVM_ERROR));
  }

  @Test
  void trailingArraysAndCountsAgreeWithTheEventsThatFollow() {
    // Per (block, txn): what the header and output announce, and what follows.
    Map<List<Long>, long[]> announced = new HashMap<>(); // access list, logs, frames
    Map<List<Long>, long[]> seen = new HashMap<>();
    // Per (block, txn, context): the account accesses by index, for the storage accesses.
    Map<List<Long>, Map<Long, AccountAccess>> accounts = new HashMap<>();
    int maxHeader = 0;
    for (Decoded e : events) {
      List<Long> txn = List.of(e.ext()[ExecFlowTag.BLOCK_SEQNO], e.ext()[ExecFlowTag.TXN_ID]);
      long[] s = seen.computeIfAbsent(txn, k -> new long[3]);
      switch (e.payload()) {
        case TxnHeaderStart h -> {
          assertEquals(
              TxnHeaderStart.SIZE + h.data().length(), e.size(), "calldata fills the tail");
          assertEquals(h.dataLength(), h.data().length());
          assertTrue(h.blobVersionedHashes().isEmpty());
          assertEquals(h.isContractCreation(), h.to().isZero());
          announced.put(txn, new long[] {h.accessListCount(), -1, -1});
          maxHeader = Math.max(maxHeader, Math.toIntExact(e.size()));
        }
        case TxnAccessListEntry a -> {
          assertEquals(s[0]++, a.index(), "access-list entries in order");
          assertEquals(a.storageKeyCount(), a.storageKeys().size());
          assertEquals(TxnAccessListEntry.SIZE + 32 * a.storageKeys().size(), e.size());
        }
        case TxnEvmOutput o -> {
          long[] a = announced.get(txn);
          assertEquals(a[0], s[0], "access list complete before the output");
          a[1] = o.logCount();
          a[2] = o.callFrameCount();
        }
        case TxnLog log -> {
          assertEquals(s[1]++, log.index(), "logs in index order");
          assertEquals(log.topicCount(), log.topics().size());
          assertEquals(TxnLog.SIZE + 32L * log.topicCount() + log.data().length(), e.size());
        }
        case TxnCallFrame f -> {
          assertEquals(s[2]++, f.index(), "call frames in index order");
          assertEquals(TxnCallFrame.SIZE + f.input().length() + f.returnData().length(), e.size());
        }
        case AccountAccess a ->
            accounts
                .computeIfAbsent(
                    List.of(txn.get(0), txn.get(1), (long) a.accessContext()), k -> new HashMap<>())
                .put(a.index(), a);
        case StorageAccess st -> {
          AccountAccess owner =
              accounts
                  .get(List.of(txn.get(0), txn.get(1), (long) st.accessContext()))
                  .get(e.ext()[ExecFlowTag.ACCOUNT_INDEX]);
          assertNotNull(owner, "storage access " + e.seqno() + " has its account access");
          assertEquals(owner.address(), st.address());
        }
        default -> {}
      }
    }
    assertEquals(101_380, maxHeader);
    for (Map.Entry<List<Long>, long[]> a : announced.entrySet()) {
      long[] s = seen.get(a.getKey());
      assertEquals(a.getValue()[1], s[1], "log count of " + a.getKey());
      assertEquals(a.getValue()[2], s[2], "call frame count of " + a.getKey());
    }
  }

  private static String quantity(BigInteger v) {
    return "0x" + v.toString(16);
  }

  private static String quantity(long v) {
    return "0x" + Long.toHexString(v);
  }

  @Test
  void theFirstBlockMatchesTheSingleObjectSamples() throws IOException {
    Path data = UpstreamData.emn30bDir();
    ObjectMapper json = new ObjectMapper();
    JsonNode header = json.readTree(Files.readString(data.resolve("0.header.json")));
    JsonNode tx = json.readTree(Files.readString(data.resolve("0.tx.0.json")));
    JsonNode receipt = json.readTree(Files.readString(data.resolve("0.tx-receipt.0.json")));
    JsonNode log = json.readTree(Files.readString(data.resolve("0.log.0.json")));
    JsonNode monadHeader = json.readTree(Files.readString(data.resolve("0.monad-header.json")));

    BlockStart start = (BlockStart) events.get(0).payload();
    BlockEnd end = null;
    Map<Long, TxnHeaderStart> txns = new HashMap<>();
    Map<Long, TxnEvmOutput> outputs = new HashMap<>();
    java.util.TreeMap<Long, TxnLog> firstLogs = new java.util.TreeMap<>();
    for (Decoded e : events) {
      if (e.ext()[ExecFlowTag.BLOCK_SEQNO] != 1) {
        break;
      }
      long txn = e.ext()[ExecFlowTag.TXN_ID] - 1;
      switch (e.payload()) {
        case BlockEnd b -> end = b;
        case TxnHeaderStart h -> txns.put(txn, h);
        case TxnEvmOutput o -> outputs.put(txn, o);
        case TxnLog l when l.index() == 0 -> firstLogs.put(txn, l);
        default -> {}
      }
    }
    assertNotNull(end);
    assertEquals(start.blockTag().id().toString(), monadHeader.get("blockId").asText());
    assertEquals(end.ethBlockHash().toString(), header.get("hash").asText());
    assertEquals(start.parentEthHash().toString(), header.get("parentHash").asText());
    assertEquals(start.ommersHash().toString(), header.get("sha3Uncles").asText());
    assertEquals(start.beneficiary().toString(), header.get("miner").asText());
    assertEquals(end.stateRoot().toString(), header.get("stateRoot").asText());
    assertEquals(start.transactionsRoot().toString(), header.get("transactionsRoot").asText());
    assertEquals(end.receiptsRoot().toString(), header.get("receiptsRoot").asText());
    assertEquals(end.logsBloom().toString(), header.get("logsBloom").asText());
    assertEquals(quantity(start.difficulty()), header.get("difficulty").asText());
    assertEquals(quantity(start.number()), header.get("number").asText());
    assertEquals(quantity(start.gasLimit()), header.get("gasLimit").asText());
    assertEquals(quantity(end.gasUsed()), header.get("gasUsed").asText());
    assertEquals(quantity(start.timestamp()), header.get("timestamp").asText());
    assertEquals(start.extraData().toString(), header.get("extraData").asText());
    assertEquals(start.prevRandao().toString(), header.get("mixHash").asText());
    assertEquals(start.nonce().toString(), header.get("nonce").asText());
    assertEquals(quantity(start.baseFeePerGas()), header.get("baseFeePerGas").asText());
    assertEquals(229, start.txnCount());
    assertEquals(229, txns.size());

    TxnHeaderStart t0 = txns.get(0L);
    assertEquals(quantity(t0.txnType()), tx.get("type").asText());
    assertEquals(quantity(t0.chainId()), tx.get("chainId").asText());
    assertEquals(quantity(t0.nonce()), tx.get("nonce").asText());
    assertEquals(quantity(t0.gasLimit()), tx.get("gas").asText());
    assertEquals(quantity(t0.maxFeePerGas()), tx.get("maxFeePerGas").asText());
    assertEquals(quantity(t0.maxPriorityFeePerGas()), tx.get("maxPriorityFeePerGas").asText());
    assertEquals(t0.to().toString(), tx.get("to").asText());
    assertEquals(quantity(t0.value()), tx.get("value").asText());
    assertEquals(t0.data().toString(), tx.get("input").asText());
    assertEquals(quantity(t0.r()), tx.get("r").asText());
    assertEquals(quantity(t0.s()), tx.get("s").asText());
    assertEquals(t0.yParity() ? "0x1" : "0x0", tx.get("yParity").asText());
    assertEquals(t0.txnHash().toString(), tx.get("hash").asText());
    assertEquals(t0.sender().toString(), tx.get("from").asText());
    assertEquals(0, tx.get("accessList").size());

    TxnEvmOutput o0 = outputs.get(0L);
    assertEquals(o0.status() ? "0x1" : "0x0", receipt.get("status").asText());
    assertEquals(quantity(o0.gasUsed()), receipt.get("gasUsed").asText());
    assertEquals(quantity(o0.gasUsed()), receipt.get("cumulativeGasUsed").asText());
    assertEquals(o0.logCount(), receipt.get("logs").size());
    assertEquals(t0.txnHash().toString(), receipt.get("transactionHash").asText());

    // The block's first log (block-wide log index 0) is log 0 of the first transaction with logs.
    assertEquals(1, firstLogs.firstKey());
    TxnLog firstLog = firstLogs.firstEntry().getValue();
    assertEquals(firstLog.address().toString(), log.get("address").asText());
    assertEquals(firstLog.data().toString(), log.get("data").asText());
    assertEquals(firstLog.topics().size(), log.get("topics").size());
    for (int i = 0; i < firstLog.topics().size(); i++) {
      assertEquals(firstLog.topics().get(i).toString(), log.get("topics").get(i).asText());
    }
    assertEquals(txns.get(1L).txnHash().toString(), log.get("transactionHash").asText());
    assertEquals(quantity(firstLog.index()), log.get("logIndex").asText());
  }
}
