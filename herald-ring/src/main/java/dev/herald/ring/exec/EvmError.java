package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The EVM_ERROR payload ({@code monad_exec_evm_error}): an execution error outside the block and
 * transaction error domains.
 *
 * <pre>{@code
 * EvmError.View view = new EvmError.View();
 * if (view.wrap(ring, d)) {
 *   EvmError kept = view.toRecord();
 *   if (!view.valid()) { ... overwritten while read: drop it ... }
 * }
 * }</pre>
 *
 * @param domainId the Boost.Outcome domain id
 * @param statusCode the signed status code
 */
public record EvmError(long domainId, long statusCode) implements ExecPayload {
  /** Size of the fixed struct in bytes. */
  public static final int SIZE = 16;

  @Override
  public ExecEventType type() {
    return ExecEventType.EVM_ERROR;
  }

  /** A reusable zero-copy view of a EVM_ERROR payload, see {@link ExecPayloadView}. */
  public static final class View extends ExecPayloadView {
    /** Creates an unwrapped view. */
    public View() {
      super(ExecEventType.EVM_ERROR, SIZE);
    }

    /**
     * Field domain_id.
     *
     * @return the Boost.Outcome domain id
     */
    public long domainId() {
      return u64(0);
    }

    /**
     * Field status_code.
     *
     * @return the signed status code
     */
    public long statusCode() {
      return u64(8);
    }

    /**
     * Copies the whole payload into a record.
     *
     * @return the value
     */
    public EvmError toRecord() {
      return new EvmError(domainId(), statusCode());
    }
  }
}
