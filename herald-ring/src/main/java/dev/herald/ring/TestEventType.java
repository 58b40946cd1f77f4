package dev.herald.ring;

/**
 * The event types of the {@link ContentType#TEST} schema, used for tests and demos.
 *
 * <pre>{@code
 * writer.reserve(reservation, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE);
 * reservation.putByte(TestCounter.WRITER_ID, (byte) 1).putLong(TestCounter.COUNTER, 42).commit();
 * }</pre>
 */
public enum TestEventType implements EventKind {
  /** Code 0, never recorded. */
  NONE("reserved code 0, never recorded"),
  /** A recorder failure; the payload is a {@link RecordError}. */
  RECORD_ERROR("the recorder dropped or truncated an event"),
  /** {@code {uint8 writer_id; uint64 counter}}: 16 bytes, see {@link TestCounter}. */
  TEST_COUNTER("a counter value from one writer"),
  /** {@code {u32 vlt_1_length; u32 vlt_2_length}} followed by two variable-length arrays. */
  TEST_VLT("two variable-length byte arrays");

  private final String description;

  TestEventType(String description) {
    this.description = description;
  }

  @Override
  public int code() {
    return ordinal();
  }

  @Override
  public String cName() {
    return name();
  }

  @Override
  public String description() {
    return description;
  }
}
