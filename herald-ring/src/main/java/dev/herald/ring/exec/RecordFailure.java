package dev.herald.ring.exec;

import dev.herald.ring.ExecEventType;
import dev.herald.ring.RecordError;

/**
 * A RECORD_ERROR event in an EXEC ring: the recorder could not record an event as asked (too large,
 * or never written). For the overflow errors the first bytes of the lost payload follow.
 *
 * <pre>{@code
 * if (payload instanceof RecordFailure f) {
 *   System.err.println("lost " + ExecEventType.ofCode(f.error().droppedEventType()));
 * }
 * }</pre>
 *
 * @param error the record error struct
 * @param truncatedPayload the first bytes of the event that did not fit (empty for MISSING_EVENT)
 */
public record RecordFailure(RecordError error, Bytes truncatedPayload) implements ExecPayload {
  @Override
  public ExecEventType type() {
    return ExecEventType.RECORD_ERROR;
  }
}
