package dev.herald.ring;

/**
 * The payload of a RECORD_ERROR event ({@code struct monad_event_record_error}, 16 bytes): why a
 * writer could not record an event as asked. For the two overflow errors the payload is {@link
 * #TRUNCATED_EVENT_SIZE} bytes: this struct, then the first bytes of the event that did not fit.
 *
 * <pre>{@code
 * if (d.eventType() == RecordError.EVENT_TYPE) {
 *   RecordError e = RecordError.read(ring.payload(d));
 * }
 * }</pre>
 *
 * @param errorType what went wrong
 * @param droppedEventType the event type that was not recorded in full
 * @param truncatedPayloadSize how many of its payload bytes follow this struct
 * @param requestedPayloadSize the payload size that was asked for
 */
public record RecordError(
    ErrorType errorType,
    int droppedEventType,
    long truncatedPayloadSize,
    long requestedPayloadSize) {
  /** RECORD_ERROR is code 1 in every schema. */
  public static final int EVENT_TYPE = 1;

  /** Size of the struct. */
  public static final int SIZE = 16;

  /** Payload size of an overflow RECORD_ERROR event ({@code RECORD_ERROR_TRUNCATED_SIZE}). */
  public static final int TRUNCATED_EVENT_SIZE = 8192;

  static final long ERROR_TYPE = 0;
  static final long DROPPED_EVENT_TYPE = 2;
  static final long TRUNCATED_PAYLOAD_SIZE = 4;
  static final long REQUESTED_PAYLOAD_SIZE = 8;

  /** {@code monad_event_record_error_type}. */
  public enum ErrorType {
    /** No error. */
    NONE,
    /** The payload is larger than 4 GiB, the most a descriptor can describe. */
    OVERFLOW_4GB,
    /** The payload is so large it would be expired before it was written. */
    OVERFLOW_EXPIRE,
    /** An event the recorder should have written is missing. */
    MISSING_EVENT;

    static ErrorType ofCode(int code) {
      ErrorType[] all = values();
      return code >= 0 && code < all.length ? all[code] : NONE;
    }
  }

  /**
   * Decodes the struct from the start of a payload.
   *
   * @param payload at least 16 bytes
   * @return the error
   */
  public static RecordError read(java.lang.foreign.MemorySegment payload) {
    return new RecordError(
        ErrorType.ofCode(Short.toUnsignedInt(payload.get(RingLayout.SHORT, ERROR_TYPE))),
        Short.toUnsignedInt(payload.get(RingLayout.SHORT, DROPPED_EVENT_TYPE)),
        Integer.toUnsignedLong(payload.get(RingLayout.INT, TRUNCATED_PAYLOAD_SIZE)),
        payload.get(RingLayout.LONG, REQUESTED_PAYLOAD_SIZE));
  }
}
