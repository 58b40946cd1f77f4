package dev.herald.ring.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The executed-block state machine (upstream {@code ExecutedBlockBuilder}, with call frames and
 * account and storage accesses kept): one block in progress at a time, transactions routed by their
 * flow tag, and every way a block can fail turned into a {@link BlockDrop}.
 */
final class ExecutedBlockBuilder {
  private static final int PROLOGUE = 0;
  private static final int TRANSACTION = 1;
  private static final int EPILOGUE = 2;

  /** A transaction being assembled. */
  private static final class Txn {
    final TxnHeaderStart header;
    final List<TxnAccessListEntry> accessList = new ArrayList<>();
    final List<TxnAuthListEntry> authList = new ArrayList<>();
    TxnEvmOutput output;
    TxnLog[] logs;
    TxnCallFrame[] frames;

    Txn(TxnHeaderStart header) {
      this.header = header;
    }
  }

  /** An account access being assembled with its storage accesses. */
  private static final class Account {
    final AccountAccess access;
    final List<StorageAccess> storage = new ArrayList<>();
    final List<StorageAccess> transientStorage = new ArrayList<>();

    Account(AccountAccess access) {
      this.access = access;
    }

    AccessedAccount build() {
      return new AccessedAccount(access, storage, transientStorage);
    }
  }

  /** Thrown inside the builder when the block must be dropped; never escapes it. */
  private static final class Drop extends Exception {
    private static final long serialVersionUID = 1L;
    final transient BlockDrop.Reason reason;

    Drop(BlockDrop.Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  private final Consumer<ExecutedBlock> executed;
  private final Consumer<BlockDrop> dropped;
  private BlockStart start;
  private long startSeqno;
  private Txn[] txns;

  /** Account accesses per scope: key {@code txnId * 4 + context}. */
  private final Map<Long, List<Account>> scopes = new HashMap<>();

  ExecutedBlockBuilder(Consumer<ExecutedBlock> executed, Consumer<BlockDrop> dropped) {
    this.executed = executed;
    this.dropped = dropped;
  }

  /** Whether a block is in progress. */
  boolean inBlock() {
    return start != null;
  }

  /** Forgets the block in progress without reporting it. */
  void reset() {
    start = null;
    startSeqno = 0;
    txns = null;
    scopes.clear();
  }

  /** Drops the block in progress (if any) and reports it; with none, reports the loss anyway. */
  void abandon(BlockDrop.Reason reason, String detail) {
    dropped.accept(
        new BlockDrop(start == null ? null : start.blockTag(), startSeqno, reason, detail));
    reset();
  }

  /**
   * One block-scoped event in seqno order; consensus events do not come here.
   *
   * @param seqno the event's sequence number
   * @param blockSeqno flow tag BLOCK_SEQNO
   * @param txnId flow tag TXN_ID (index + 1, 0 for none)
   * @param accountIndex flow tag ACCOUNT_INDEX
   * @param p the decoded payload
   */
  void accept(long seqno, long blockSeqno, long txnId, long accountIndex, ExecPayload p) {
    if (p instanceof BlockStart s) {
      if (start != null) {
        abandon(
            BlockDrop.Reason.UNTERMINATED,
            "BLOCK_START " + seqno + " arrived before this block's BLOCK_END");
        dropped.accept(
            new BlockDrop(
                s.blockTag(),
                seqno,
                BlockDrop.Reason.SKIPPED,
                "it started while the previous block was unterminated (upstream skips both)"));
        return;
      }
      if (Long.compareUnsigned(s.txnCount(), Integer.MAX_VALUE - 8) > 0) {
        dropped.accept(
            new BlockDrop(
                s.blockTag(), seqno, BlockDrop.Reason.CORRUPT, "txn_count " + s.txnCount()));
        return;
      }
      start = s;
      startSeqno = seqno;
      txns = new Txn[(int) s.txnCount()];
      return;
    }
    if (start == null) {
      return; // joined mid-block: nothing until the next BLOCK_START
    }
    try {
      if (blockSeqno != startSeqno) {
        throw new Drop(
            BlockDrop.Reason.INCONSISTENT,
            "event "
                + seqno
                + " ("
                + p.type()
                + ") belongs to the block starting at seqno "
                + blockSeqno);
      }
      step(seqno, txnId, accountIndex, p);
    } catch (Drop d) {
      abandon(d.reason, d.getMessage());
    }
  }

  private void step(long seqno, long txnId, long accountIndex, ExecPayload p) throws Drop {
    switch (p) {
      case Reject r ->
          throw new Drop(
              r.type() == dev.herald.ring.ExecEventType.BLOCK_REJECT
                  ? BlockDrop.Reason.BLOCK_REJECTED
                  : BlockDrop.Reason.TXN_REJECTED,
              r.type() + " " + r.reason() + " at seqno " + seqno + txnSuffix(txnId));
      case EvmError e ->
          throw new Drop(
              BlockDrop.Reason.EVM_ERROR,
              "domain "
                  + Long.toUnsignedString(e.domainId())
                  + " status "
                  + e.statusCode()
                  + " at seqno "
                  + seqno
                  + txnSuffix(txnId));
      case TxnHeaderStart h -> {
        int i = txnIndex(seqno, txnId);
        if (txns[i] != null) {
          throw new Drop(
              BlockDrop.Reason.INCONSISTENT,
              "a second TXN_HEADER_START for txn " + i + " at " + seqno);
        }
        txns[i] = new Txn(h);
      }
      case TxnAccessListEntry a -> {
        Txn t = txn(seqno, txnId);
        expectIndex(a.index(), t.accessList.size(), "access-list entry", seqno);
        t.accessList.add(a);
      }
      case TxnAuthListEntry a -> {
        Txn t = txn(seqno, txnId);
        expectIndex(a.index(), t.authList.size(), "authorization entry", seqno);
        t.authList.add(a);
      }
      case TxnEvmOutput o -> {
        Txn t = txn(seqno, txnId);
        if (t.output != null) {
          throw new Drop(BlockDrop.Reason.INCONSISTENT, "a second TXN_EVM_OUTPUT at " + seqno);
        }
        if (o.logCount() > Integer.MAX_VALUE - 8 || o.callFrameCount() > Integer.MAX_VALUE - 8) {
          throw new Drop(BlockDrop.Reason.CORRUPT, "TXN_EVM_OUTPUT counts at " + seqno);
        }
        t.output = o;
        t.logs = new TxnLog[(int) o.logCount()];
        t.frames = new TxnCallFrame[(int) o.callFrameCount()];
      }
      case TxnLog log -> {
        Txn t = outputOf(seqno, txnId);
        t.logs[slot(log.index(), t.logs, "log", seqno)] = log;
      }
      case TxnCallFrame f -> {
        Txn t = outputOf(seqno, txnId);
        t.frames[slot(f.index(), t.frames, "call frame", seqno)] = f;
      }
      case AccountAccess a -> {
        List<Account> scope = scope(txnId, a.accessContext(), seqno);
        expectIndex(a.index(), scope.size(), "account access", seqno);
        scope.add(new Account(a));
      }
      case StorageAccess s -> {
        List<Account> scope = scope(txnId, s.accessContext(), seqno);
        if (accountIndex < 0 || accountIndex >= scope.size()) {
          throw new Drop(
              BlockDrop.Reason.INCONSISTENT,
              "STORAGE_ACCESS "
                  + seqno
                  + " points at account access "
                  + accountIndex
                  + ", not seen");
        }
        Account owner = scope.get((int) accountIndex);
        (s.transientStorage() ? owner.transientStorage : owner.storage).add(s);
      }
      case BlockEnd end -> finish(end);
      default -> {} // markers and list headers carry nothing to keep
    }
  }

  private static String txnSuffix(long txnId) {
    return txnId == 0 ? "" : " (txn " + (txnId - 1) + ")";
  }

  private int txnIndex(long seqno, long txnId) throws Drop {
    if (txnId < 1 || txnId > txns.length) {
      throw new Drop(
          BlockDrop.Reason.INCONSISTENT,
          "event " + seqno + " names txn id " + txnId + " in a block of " + txns.length + " txns");
    }
    return (int) (txnId - 1);
  }

  private Txn txn(long seqno, long txnId) throws Drop {
    Txn t = txns[txnIndex(seqno, txnId)];
    if (t == null) {
      throw new Drop(
          BlockDrop.Reason.INCONSISTENT,
          "event " + seqno + " for txn " + (txnId - 1) + " before its TXN_HEADER_START");
    }
    return t;
  }

  private Txn outputOf(long seqno, long txnId) throws Drop {
    Txn t = txn(seqno, txnId);
    if (t.output == null) {
      throw new Drop(
          BlockDrop.Reason.INCONSISTENT,
          "event " + seqno + " for txn " + (txnId - 1) + " before its TXN_EVM_OUTPUT");
    }
    return t;
  }

  private static void expectIndex(long index, int expected, String what, long seqno) throws Drop {
    if (index != expected) {
      throw new Drop(
          BlockDrop.Reason.INCONSISTENT,
          what + " " + seqno + " has index " + index + ", expected " + expected);
    }
  }

  /** The index of an empty slot announced by the transaction's output. */
  private static int slot(long index, Object[] slots, String what, long seqno) throws Drop {
    if (index < 0 || index >= slots.length || slots[(int) index] != null) {
      throw new Drop(
          BlockDrop.Reason.INCONSISTENT,
          what
              + " "
              + seqno
              + " has index "
              + index
              + (index < slots.length ? ", already filled" : " of " + slots.length + " announced"));
    }
    return (int) index;
  }

  private List<Account> scope(long txnId, int context, long seqno) throws Drop {
    boolean inTxn = txnId != 0;
    if (context > EPILOGUE || inTxn != (context == TRANSACTION)) {
      throw new Drop(
          BlockDrop.Reason.INCONSISTENT,
          "access " + seqno + " has context " + context + " with txn id " + txnId);
    }
    if (inTxn) {
      txn(seqno, txnId);
    }
    return scopes.computeIfAbsent(txnId * 4 + context, k -> new ArrayList<>());
  }

  private List<AccessedAccount> accounts(long key) {
    List<Account> scope = scopes.get(key);
    return scope == null ? List.of() : scope.stream().map(Account::build).toList();
  }

  private void finish(BlockEnd end) throws Drop {
    List<ExecutedTxn> out = new ArrayList<>(txns.length);
    for (int i = 0; i < txns.length; i++) {
      Txn t = txns[i];
      if (t == null || t.output == null) {
        throw new Drop(
            BlockDrop.Reason.INCOMPLETE,
            "BLOCK_END with txn " + i + (t == null ? " never started" : " without its output"));
      }
      int missingLog = Arrays.asList(t.logs).indexOf(null);
      int missingFrame = Arrays.asList(t.frames).indexOf(null);
      if (missingLog >= 0 || missingFrame >= 0) {
        throw new Drop(
            BlockDrop.Reason.INCOMPLETE,
            "BLOCK_END with txn "
                + i
                + (missingLog >= 0
                    ? " missing log " + missingLog
                    : " missing call frame " + missingFrame));
      }
      out.add(
          new ExecutedTxn(
              i,
              t.header,
              t.accessList,
              t.authList,
              t.output,
              Arrays.asList(t.logs),
              Arrays.asList(t.frames),
              accounts((i + 1L) * 4 + TRANSACTION)));
    }
    ExecutedBlock block =
        new ExecutedBlock(startSeqno, start, end, out, accounts(PROLOGUE), accounts(EPILOGUE));
    reset();
    executed.accept(block);
  }
}
