package dev.herald.dispatcher;

/**
 * The one failure type of the dispatcher module, with upstream's error kind. Where upstream has a
 * text for the failure, the message is that text (a rejected message gives the exact line upstream
 * logs for it; a JSON token upstream's tokenizer refuses gives that line followed by what was wrong
 * and at which byte); failures upstream does not have are described in Herald's own words (the
 * module README lists them), so that logs of Java and C++ services read the same where they can.
 *
 * <pre>{@code
 * try {
 *   Message message = Message.parse(line);
 * } catch (MessageException e) {
 *   log.warn("dropped a message from {}: {}", peer, e.getMessage()); // e.kind() == INVALID_MESSAGE
 * }
 * }</pre>
 */
public final class MessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Upstream's exception classes, as kinds. */
  public enum Kind {
    /** {@code invalid_message}: a message or a name in it is not valid. */
    INVALID_MESSAGE,
    /** {@code parameter_error}: an API was called with a bad argument (a match definition). */
    PARAMETER_ERROR,
    /** {@code invalid_parameter}: a configuration value is wrong (definition files, paths). */
    INVALID_PARAMETER,
    /** {@code implementation_error}: the program is wired wrongly (two catch-alls, no commands). */
    IMPLEMENTATION_ERROR
  }

  private final Kind kind;

  MessageException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  MessageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  static MessageException invalid(String message) {
    return new MessageException(Kind.INVALID_MESSAGE, message);
  }

  /**
   * Returns which kind of failure this is.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }
}
