package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import java.util.List;

/**
 * The payload of BLOCK_REJECT and TXN_REJECT: a 32-bit reason code, a {@code BlockError} for a
 * block and a {@code TransactionError} for a transaction. Either drops the whole block.
 *
 * <pre>{@code
 * Reject.View reject = new Reject.View(ExecEventType.TXN_REJECT);
 * if (reject.wrap(ring, d)) {
 *   System.err.println("transaction rejected: " + reject.toRecord().reason());
 * }
 * }</pre>
 *
 * @param type BLOCK_REJECT or TXN_REJECT
 * @param code the reason code
 */
public record Reject(ExecEventType type, long code) implements ExecPayload {
  /** Size of the payload in bytes. */
  public static final int SIZE = 4;

  private static final List<String> BLOCK_ERRORS =
      List.of(
          "Success",
          "GasAboveLimit",
          "InvalidGasLimit",
          "ExtraDataTooLong",
          "WrongOmmersHash",
          "WrongParentHash",
          "FieldBeforeFork",
          "MissingField",
          "PowBlockAfterMerge",
          "InvalidNonce",
          "TooManyOmmers",
          "DuplicateOmmers",
          "InvalidOmmerHeader",
          "WrongLogsBloom",
          "InvalidGasUsed",
          "InvalidExcessBlobGas",
          "WrongMerkleRoot",
          "SystemCallMissingCode",
          "SystemCallFailed",
          "InvalidRequestsHash",
          "InvalidDepositLog");

  private static final List<String> TRANSACTION_ERRORS =
      List.of(
          "Success",
          "InsufficientBalance",
          "IntrinsicGasGreaterThanLimit",
          "BadNonce",
          "SenderNotEoa",
          "TypeNotSupported",
          "MaxFeeLessThanBase",
          "PriorityFeeGreaterThanMax",
          "NonceExceedsMax",
          "InitCodeLimitExceeded",
          "GasLimitReached",
          "WrongChainId",
          "MissingSender",
          "GasLimitOverflow",
          "InvalidSignature",
          "InvalidBlobHash",
          "EmptyAuthorizationList");

  /**
   * Checks the type.
   *
   * @param type BLOCK_REJECT or TXN_REJECT
   * @param code the reason code
   * @throws IllegalArgumentException for any other type
   */
  public Reject {
    checkRejectType(type);
  }

  private static void checkRejectType(ExecEventType type) {
    if (type != ExecEventType.BLOCK_REJECT && type != ExecEventType.TXN_REJECT) {
      throw new IllegalArgumentException(type + " is not a reject event");
    }
  }

  /**
   * The upstream name of the reason code.
   *
   * @return e.g. {@code "BadNonce"}, or {@code "code N"} for a code this schema does not name
   */
  public String reason() {
    List<String> names = type == ExecEventType.BLOCK_REJECT ? BLOCK_ERRORS : TRANSACTION_ERRORS;
    return code < names.size() ? names.get((int) code) : "code " + code;
  }

  /** A reusable zero-copy view of a BLOCK_REJECT or TXN_REJECT payload. */
  public static final class View extends ExecPayloadView {
    /**
     * Creates an unwrapped view for one of the two reject types.
     *
     * @param type BLOCK_REJECT or TXN_REJECT
     */
    public View(ExecEventType type) {
      super(checked(type), SIZE);
    }

    private static ExecEventType checked(ExecEventType type) {
      checkRejectType(type);
      return type;
    }

    /**
     * The reason code.
     *
     * @return the unsigned 32-bit code
     */
    public long code() {
      return u32(0);
    }

    /**
     * Copies the payload into a record.
     *
     * @return the value
     */
    public Reject toRecord() {
      return new Reject(type(), code());
    }
  }
}
