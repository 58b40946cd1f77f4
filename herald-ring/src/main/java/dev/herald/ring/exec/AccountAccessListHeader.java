package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The ACCOUNT_ACCESS_LIST_HEADER payload: how many ACCOUNT_ACCESS events follow in this scope.
 *
 * <pre>{@code
 * AccountAccessListHeader.View view = new AccountAccessListHeader.View();
 * if (view.wrap(ring, d)) {
 *   AccountAccessListHeader kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param entryCount the number of ACCOUNT_ACCESS events in the scope
 * @param accessContext the context: 0 block prologue, 1 transaction, 2 block epilogue
 */
public record AccountAccessListHeader(long entryCount, int accessContext) implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 8;

  @Override
  public ExecEventType type() {
    return ExecEventType.ACCOUNT_ACCESS_LIST_HEADER;
  }

  /**
   * A reusable zero-copy view of a ACCOUNT_ACCESS_LIST_HEADER payload, see {@link ExecPayloadView}.
   */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.ACCOUNT_ACCESS_LIST_HEADER, SIZE);
    }

    /**
     * Field entry_count.
     *
     * @return the number of ACCOUNT_ACCESS events in the scope
     */
    public long entryCount() {
      return u32(0);
    }

    /**
     * Field access_context.
     *
     * @return the context: 0 block prologue, 1 transaction, 2 block epilogue
     */
    public int accessContext() {
      return u8(4);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public AccountAccessListHeader toRecord() {
      return new AccountAccessListHeader(entryCount(), accessContext());
    }
  }
}
