package dev.herald.ring;

/**
 * One event type of a content type's schema: its numeric code as stored in a descriptor, its C
 * name, and a one-line description for tools.
 *
 * <pre>{@code
 * EventKind kind = ContentType.EXEC.kind(descriptor.eventType());
 * System.out.println(kind.cName() + " " + kind.description());
 * }</pre>
 */
public sealed interface EventKind permits ExecEventType, TestEventType, EventKind.Unknown {
  /**
   * The code stored in {@code monad_event_descriptor.event_type}.
   *
   * @return the code
   */
  int code();

  /**
   * The C name, e.g. {@code BLOCK_START}.
   *
   * @return the name
   */
  String cName();

  /**
   * What the event means, in one line.
   *
   * @return the description
   */
  String description();

  /**
   * A code the schema does not define (a newer writer, or a corrupt descriptor).
   *
   * @param code the code
   */
  record Unknown(int code) implements EventKind {
    @Override
    public String cName() {
      return "UNKNOWN";
    }

    @Override
    public String description() {
      return "event type " + code + " is not in this schema";
    }
  }
}
