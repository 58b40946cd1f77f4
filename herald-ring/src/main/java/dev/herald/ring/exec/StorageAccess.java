package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The STORAGE_ACCESS payload ({@code monad_exec_storage_access}): one storage slot read or written.
 *
 * <pre>{@code
 * StorageAccess.View view = new StorageAccess.View();
 * if (view.wrap(ring, d)) {
 *   StorageAccess kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param address the account
 * @param index the position in the list, restarting at 0 for transient slots
 * @param accessContext the context: 0 prologue, 1 transaction, 2 epilogue
 * @param modified whether the end value differs
 * @param transientStorage whether this is EIP-1153 transient storage
 * @param key the slot key
 * @param startValue the value before
 * @param endValue the value after, zero unless modified
 */
public record StorageAccess(
    Bytes address,
    long index,
    int accessContext,
    boolean modified,
    boolean transientStorage,
    Bytes key,
    Bytes startValue,
    Bytes endValue)
    implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 124;

  @Override
  public ExecEventType type() {
    return ExecEventType.STORAGE_ACCESS;
  }

  /** A reusable zero-copy view of a STORAGE_ACCESS payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.STORAGE_ACCESS, SIZE);
    }

    /**
     * Field address.
     *
     * @return the account
     */
    public Bytes address() {
      return bytes(0, 20);
    }

    /**
     * Field index.
     *
     * @return the position in the list, restarting at 0 for transient slots
     */
    public long index() {
      return u32(20);
    }

    /**
     * Field access_context.
     *
     * @return the context: 0 prologue, 1 transaction, 2 epilogue
     */
    public int accessContext() {
      return u8(24);
    }

    /**
     * Field modified.
     *
     * @return whether the end value differs
     */
    public boolean modified() {
      return bool(25);
    }

    /**
     * Field transient_storage.
     *
     * @return whether this is EIP-1153 transient storage
     */
    public boolean transientStorage() {
      return bool(26);
    }

    /**
     * Field key.
     *
     * @return the slot key
     */
    public Bytes key() {
      return bytes(27, 32);
    }

    /**
     * Field start_value.
     *
     * @return the value before
     */
    public Bytes startValue() {
      return bytes(59, 32);
    }

    /**
     * Field end_value.
     *
     * @return the value after, zero unless modified
     */
    public Bytes endValue() {
      return bytes(91, 32);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public StorageAccess toRecord() {
      return new StorageAccess(
          address(),
          index(),
          accessContext(),
          modified(),
          transientStorage(),
          key(),
          startValue(),
          endValue());
    }
  }
}
