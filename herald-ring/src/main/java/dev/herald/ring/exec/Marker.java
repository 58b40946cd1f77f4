package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;

/**
 * An EXEC event that carries no payload: BLOCK_PERF_EVM_ENTER/EXIT, TXN_PERF_EVM_ENTER/EXIT,
 * TXN_HEADER_END and TXN_END. Its meaning is its type and its flow tags.
 *
 * <pre>{@code
 * if (payload instanceof Marker m && m.type() == ExecEventType.TXN_END) { ... }
 * }</pre>
 *
 * @param type the marker's event type
 */
public record Marker(ExecEventType type) implements ExecPayload {
  /**
   * Whether events of a type have an empty payload.
   *
   * @param type the type
   * @return true for the six marker types
   */
  public static boolean isMarker(ExecEventType type) {
    return switch (type) {
      case BLOCK_PERF_EVM_ENTER,
          BLOCK_PERF_EVM_EXIT,
          TXN_HEADER_END,
          TXN_PERF_EVM_ENTER,
          TXN_PERF_EVM_EXIT,
          TXN_END ->
          true;
      default -> false;
    };
  }

  /**
   * Checks the type.
   *
   * @param type one of the marker types
   * @throws IllegalArgumentException for a type that has a payload
   */
  public Marker {
    if (!isMarker(type)) {
      throw new IllegalArgumentException(type + " has a payload; it is not a marker");
    }
  }
}
