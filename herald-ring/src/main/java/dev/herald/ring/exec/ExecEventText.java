package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The decoded summary of one EXEC payload, for a person reading a live stream ({@code herald ring
 * watch --decode}): the fields that identify the event and what it did, as {@code key=value} pairs.
 * Hashes, ids and addresses are printed in full; calldata, return data and log data only by their
 * length; 256-bit integers in decimal. Markers (events without a payload) have an empty summary.
 *
 * <pre>{@code
 * ExecPayload p = decoder.decode(ring, d);
 * System.out.println(format.summary(d) + " | " + ExecEventText.of(p));
 * // ... TXN_EVM_OUTPUT [17 0x11] SEQ: 236 ... | status=failure gas_used=30300 logs=0 call_frames=1
 * }</pre>
 */
public final class ExecEventText {
  private static final String[] CONTEXTS = {"prologue", "transaction", "epilogue"};

  private ExecEventText() {}

  /**
   * The summary of a decoded payload.
   *
   * @param p the payload
   * @return the {@code key=value} pairs separated by spaces; empty for a marker
   */
  public static String of(ExecPayload p) {
    return switch (p) {
      case BlockStart s ->
          tag(s.blockTag())
              + " round="
              + u64(s.round())
              + " epoch="
              + u64(s.epoch())
              + " txns="
              + u64(s.txnCount())
              + " gas_limit="
              + u64(s.gasLimit())
              + " timestamp="
              + u64(s.timestamp())
              + " base_fee="
              + s.baseFeePerGas()
              + " parent="
              + s.parentEthHash();
      case BlockEnd e ->
          "hash="
              + e.ethBlockHash()
              + " gas_used="
              + u64(e.gasUsed())
              + " state_root="
              + e.stateRoot()
              + " receipts_root="
              + e.receiptsRoot();
      case BlockQc q -> tag(q.blockTag()) + " round=" + u64(q.round()) + " epoch=" + u64(q.epoch());
      case BlockFinalized f -> tag(f.blockTag());
      case BlockVerified v -> "number=" + u64(v.blockNumber());
      case Reject r -> "reason=" + r.reason() + " code=" + r.code();
      case TxnHeaderStart h -> header(h);
      case TxnAccessListEntry a ->
          "index=" + a.index() + " address=" + a.address() + " storage_keys=" + a.storageKeyCount();
      case TxnAuthListEntry a ->
          "index="
              + a.index()
              + " address="
              + a.address()
              + " authority="
              + (a.isValidAuthority() ? a.authority().toString() : "invalid")
              + " nonce="
              + u64(a.nonce())
              + " chain_id="
              + a.chainId();
      case TxnEvmOutput o ->
          "status="
              + (o.status() ? "success" : "failure")
              + " gas_used="
              + u64(o.gasUsed())
              + " logs="
              + o.logCount()
              + " call_frames="
              + o.callFrameCount();
      case TxnLog l ->
          "index="
              + l.index()
              + " address="
              + l.address()
              + " topics="
              + l.topicCount()
              + " data="
              + l.dataLength()
              + "B"
              + (l.topics().isEmpty() ? "" : " topic0=" + l.topics().getFirst());
      case TxnCallFrame c -> frame(c);
      case AccountAccessListHeader h ->
          "entries=" + h.entryCount() + " context=" + context(h.accessContext());
      case AccountAccess a -> account(a);
      case StorageAccess s -> storage(s);
      case EvmError e -> "domain=" + u64(e.domainId()) + " status=" + e.statusCode();
      case RecordFailure f ->
          "error="
              + f.error().errorType()
              + " dropped="
              + eventName(f.error().droppedEventType())
              + " requested="
              + u64(f.error().requestedPayloadSize())
              + "B kept="
              + f.truncatedPayload().length()
              + "B";
      case Marker m -> "";
    };
  }

  private static String header(TxnHeaderStart h) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("hash=").append(h.txnHash());
    sb.append(" sender=").append(h.sender());
    sb.append(" type=").append(h.txnType());
    sb.append(" nonce=").append(u64(h.nonce()));
    sb.append(" gas_limit=").append(u64(h.gasLimit()));
    sb.append(" to=").append(h.isContractCreation() ? "create" : h.to().toString());
    sb.append(" value=").append(h.value());
    sb.append(" data=").append(h.dataLength()).append('B');
    sb.append(" access_list=").append(h.accessListCount());
    sb.append(" auth_list=").append(h.authListCount());
    if (h.blobVersionedHashLength() != 0) {
      sb.append(" blobs=").append(h.blobVersionedHashLength());
    }
    return sb.toString();
  }

  private static String frame(TxnCallFrame c) {
    return "index="
        + c.index()
        + " depth="
        + u64(c.depth())
        + " op="
        + opcode(c.opcode())
        + " caller="
        + c.caller()
        + " target="
        + c.callTarget()
        + " value="
        + c.value()
        + " gas="
        + u64(c.gas())
        + " gas_used="
        + u64(c.gasUsed())
        + " evmc_status="
        + c.evmcStatus()
        + " input="
        + u64(c.inputLength())
        + "B return="
        + u64(c.returnLength())
        + "B";
  }

  private static String account(AccountAccess a) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("index=").append(a.index());
    sb.append(" address=").append(a.address());
    sb.append(" context=").append(context(a.accessContext()));
    if (a.isBalanceModified()) {
      sb.append(" balance=").append(a.prestateBalance()).append("->").append(a.modifiedBalance());
    }
    if (a.isNonceModified()) {
      sb.append(" nonce=")
          .append(u64(a.prestateNonce()))
          .append("->")
          .append(u64(a.modifiedNonce()));
    }
    sb.append(" storage=").append(a.storageKeyCount());
    sb.append(" transient=").append(a.transientCount());
    return sb.toString();
  }

  private static String storage(StorageAccess s) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("index=").append(s.index());
    sb.append(" address=").append(s.address());
    sb.append(" context=").append(context(s.accessContext()));
    sb.append(s.transientStorage() ? " transient" : "");
    sb.append(" key=").append(s.key());
    if (s.modified()) {
      sb.append(" value=").append(s.startValue()).append("->").append(s.endValue());
    } else {
      sb.append(" value=").append(s.startValue());
    }
    return sb.toString();
  }

  private static String tag(BlockTag t) {
    return "number=" + u64(t.blockNumber()) + " id=" + t.id();
  }

  private static String u64(long v) {
    return Long.toUnsignedString(v);
  }

  private static String context(int code) {
    return code < CONTEXTS.length ? CONTEXTS[code] : "context " + code;
  }

  private static String eventName(int code) {
    ExecEventType t = ExecEventType.ofCode(code);
    return t == null ? "type " + code : t.name();
  }

  /** The EVM opcode of a call frame by its mnemonic. */
  private static String opcode(int op) {
    return switch (op) {
      case 0xf0 -> "CREATE";
      case 0xf1 -> "CALL";
      case 0xf2 -> "CALLCODE";
      case 0xf4 -> "DELEGATECALL";
      case 0xf5 -> "CREATE2";
      case 0xfa -> "STATICCALL";
      case 0xff -> "SELFDESTRUCT";
      default -> "0x" + Integer.toHexString(op);
    };
  }
}
