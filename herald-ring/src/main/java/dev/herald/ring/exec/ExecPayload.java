package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * The decoded payload of one EXEC event, kept as an immutable value: one record type per payload
 * struct, {@link Marker} for the events without payload and {@link RecordFailure} for RECORD_ERROR.
 *
 * <pre>{@code
 * switch (decoder.decode(ring, d)) {
 *   case BlockStart s -> System.out.println("block " + s.number());
 *   case TxnLog log -> System.out.println(log.address());
 *   case null -> { } // the payload expired before it was read
 *   default -> { }
 * }
 * }</pre>
 */
public sealed interface ExecPayload
    permits BlockStart,
        BlockEnd,
        BlockQc,
        BlockFinalized,
        BlockVerified,
        Reject,
        TxnHeaderStart,
        TxnAccessListEntry,
        TxnAuthListEntry,
        TxnEvmOutput,
        TxnLog,
        TxnCallFrame,
        AccountAccessListHeader,
        AccountAccess,
        StorageAccess,
        EvmError,
        Marker,
        RecordFailure {
  /**
   * The event type this payload belongs to.
   *
   * @return the type
   */
  ExecEventType type();
}
