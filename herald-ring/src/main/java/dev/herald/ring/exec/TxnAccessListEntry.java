package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.util.List;

/**
 * The TXN_ACCESS_LIST_ENTRY payload ({@code monad_exec_txn_access_list_entry}): one access-list
 * entry, followed by its storage keys.
 *
 * <pre>{@code
 * TxnAccessListEntry.View view = new TxnAccessListEntry.View();
 * if (view.wrap(ring, d)) {
 *   TxnAccessListEntry kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param index the position in the access list
 * @param address the address
 * @param storageKeyCount the number of storage keys
 * @param storageKeys the storage keys
 */
public record TxnAccessListEntry(
    long index, Bytes address, long storageKeyCount, List<Bytes> storageKeys)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 28;

  /** Copies the lists. */
  public TxnAccessListEntry {
    storageKeys = List.copyOf(storageKeys);
  }

  @Override
  public ExecEventType type() {
    return ExecEventType.TXN_ACCESS_LIST_ENTRY;
  }

  /** A reusable zero-copy view of a TXN_ACCESS_LIST_ENTRY payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.TXN_ACCESS_LIST_ENTRY, SIZE);
    }

    /**
     * Field index.
     *
     * @return the position in the access list
     */
    public long index() {
      return u32(0);
    }

    /**
     * Field address.
     *
     * @return the address
     */
    public Bytes address() {
      return bytes(4, 20);
    }

    /**
     * Field storage_key_count.
     *
     * @return the number of storage keys
     */
    public long storageKeyCount() {
      return u32(24);
    }

    /**
     * One of the trailing storageKeys.
     *
     * @param i 0 to storageKeyCount() - 1
     * @return the 32 bytes
     * @throws IndexOutOfBoundsException if there is no such item
     */
    public Bytes storageKey(int i) {
      java.util.Objects.checkIndex(i, storageKeyCount());
      return bytes(SIZE + 32L * i, 32);
    }

    /**
     * The trailing storageKeys (copied).
     *
     * @return the storage keys
     */
    public List<Bytes> storageKeys() {
      Bytes[] out = new Bytes[items(SIZE, storageKeyCount())];
      for (int i = 0; i < out.length; i++) {
        out[i] = storageKey(i);
      }
      return List.of(out);
    }

    @Override
    long tailSize() {
      return storageKeyCount() * 32;
    }

    @Override
    String describeTail() {
      return "storage_key_count " + Long.toUnsignedString(storageKeyCount()) + " x 32";
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public TxnAccessListEntry toRecord() {
      return new TxnAccessListEntry(index(), address(), storageKeyCount(), storageKeys());
    }
  }
}
