package dev.herald.ring.exec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of block updates used by upstream's cross-validation fixture ({@code
 * expected.json}): {@code {"Executed": ...}} for a newly executed block, {@code {"Referendum":
 * ...}} for a commit-state change. The values are maps and lists for {@link JsonText}; like
 * upstream's, they leave out call frames and account and storage accesses.
 *
 * <pre>{@code
 * List<Object> all = updates.stream().map(ExecJson::update).toList();
 * System.out.print(JsonText.pretty(all) + "\n"); // byte-identical to upstream's fixture
 * }</pre>
 */
public final class ExecJson {
  private ExecJson() {}

  /**
   * One update as upstream's fixture writes it.
   *
   * @param u the update
   * @return a one-key map, {@code Executed} or {@code Referendum}
   */
  public static Map<String, Object> update(BlockUpdate u) {
    if (u.state() == BlockCommitState.PROPOSED) {
      return Map.of("Executed", executed(u.block()));
    }
    List<Object> superseded = new ArrayList<>();
    for (ExecutedBlock b : u.abandoned()) {
      superseded.add(tag(b.tag()));
    }
    return Map.of(
        "Referendum",
        Map.of(
            "block_tag", tag(u.block().tag()),
            "outcome", u.state().upstreamName(),
            "superseded_proposals", superseded));
  }

  private static Map<String, Object> tag(BlockTag t) {
    return Map.of("block_number", t.blockNumber(), "id", t.id().toString());
  }

  private static String quantity(BigInteger v) {
    return "0x" + v.toString(16);
  }

  private static String quantity(long v) {
    return "0x" + Long.toHexString(v);
  }

  private static Map<String, Object> executed(ExecutedBlock b) {
    BlockStart s = b.start();
    BlockEnd e = b.end();
    Map<String, Object> header = new HashMap<>();
    header.put("baseFeePerGas", quantity(s.baseFeePerGas()));
    header.put("difficulty", quantity(s.difficulty()));
    header.put("extraData", s.extraData().toString());
    header.put("gasLimit", s.gasLimit());
    header.put("gasUsed", e.gasUsed());
    header.put("logsBloom", e.logsBloom().toString());
    header.put("miner", s.beneficiary().toString());
    header.put("mixHash", s.prevRandao().toString());
    header.put("nonce", s.nonce().toString());
    header.put("number", s.number());
    header.put("parentHash", s.parentEthHash().toString());
    header.put("receiptsRoot", e.receiptsRoot().toString());
    header.put("sha3Uncles", s.ommersHash().toString());
    header.put("stateRoot", e.stateRoot().toString());
    header.put("timestamp", s.timestamp());
    header.put("transactionsRoot", s.transactionsRoot().toString());
    if (!s.withdrawalsRoot().isZero()) {
      header.put("withdrawalsRoot", s.withdrawalsRoot().toString());
    }
    List<Object> txns = new ArrayList<>();
    long cumulativeGas = 0;
    for (ExecutedTxn t : b.transactions()) {
      cumulativeGas += t.output().gasUsed();
      txns.add(transaction(t, cumulativeGas));
    }
    Map<String, Object> out = new HashMap<>();
    out.put("block_tag", tag(b.tag()));
    out.put("chain_id", s.chainId());
    out.put("commit_state", BlockCommitState.PROPOSED.upstreamName());
    out.put("eth_block_hash", e.ethBlockHash().toString());
    out.put("eth_header", header);
    out.put("transactions", txns);
    return out;
  }

  private static Map<String, Object> transaction(ExecutedTxn t, long cumulativeGas) {
    List<Object> logs = new ArrayList<>();
    for (TxnLog log : t.logs()) {
      logs.add(
          Map.of(
              "address", log.address().toString(),
              "data", log.data().toString(),
              "topics", log.topics().stream().map(Bytes::toString).toList()));
    }
    Map<String, Object> out = new HashMap<>();
    out.put(
        "receipt",
        Map.of(
            "cumulativeGasUsed",
            cumulativeGas,
            "logs",
            logs,
            "status",
            t.output().status() ? 1 : 0));
    out.put("sender", t.header().sender().toString());
    out.put("txn_envelope", envelope(t));
    out.put("txn_gas_used", t.output().gasUsed());
    out.put("txn_index", t.index());
    return out;
  }

  /** The envelope keys of upstream's fixture, by transaction type. */
  private static Map<String, Object> envelope(ExecutedTxn t) {
    TxnHeaderStart h = t.header();
    int yParity = h.yParity() ? 1 : 0;
    Map<String, Object> out = new HashMap<>();
    out.put("gasLimit", h.gasLimit());
    out.put("hash", h.txnHash().toString());
    out.put("input", h.data().toString());
    out.put("nonce", h.nonce());
    out.put("r", quantity(h.r()));
    out.put("s", quantity(h.s()));
    out.put("to", h.isContractCreation() ? null : h.to().toString());
    out.put("type", h.txnType());
    out.put("value", quantity(h.value()));
    if (h.txnType() == 0) {
      boolean eip155 = h.chainId().signum() != 0;
      if (eip155) {
        out.put("chainId", h.chainId());
      }
      out.put("gasPrice", h.maxFeePerGas());
      out.put(
          "v",
          eip155
              ? h.chainId().shiftLeft(1).add(BigInteger.valueOf(35L + yParity))
              : BigInteger.valueOf(27L + yParity));
      return out;
    }
    out.put("accessList", accessList(t));
    out.put("chainId", h.chainId());
    out.put("yParity", yParity);
    if (h.txnType() == 1) {
      out.put("gasPrice", h.maxFeePerGas());
    } else {
      out.put("maxFeePerGas", h.maxFeePerGas());
      out.put("maxPriorityFeePerGas", h.maxPriorityFeePerGas());
    }
    if (!t.authList().isEmpty()) {
      out.put("authorizationList", authorizationList(t));
    }
    return out;
  }

  private static List<Object> accessList(ExecutedTxn t) {
    List<Object> out = new ArrayList<>();
    for (TxnAccessListEntry a : t.accessList()) {
      out.add(
          Map.of(
              "address", a.address().toString(),
              "storageKeys", a.storageKeys().stream().map(Bytes::toString).toList()));
    }
    return out;
  }

  private static List<Object> authorizationList(ExecutedTxn t) {
    List<Object> out = new ArrayList<>();
    for (TxnAuthListEntry a : t.authList()) {
      out.add(
          Map.of(
              "address", a.address().toString(),
              "chainId", a.chainId(),
              "nonce", a.nonce(),
              "r", quantity(a.r()),
              "s", quantity(a.s()),
              "yParity", a.yParity() ? 1 : 0));
    }
    return out;
  }
}
