package dev.herald.dispatcher;

/**
 * The type of a parameter in a message definition ({@code type=} in a {@code .conf} file).
 *
 * <pre>{@code
 * ParameterType.INTEGER.accepts("0x1F");   // true
 * ParameterType.TIMESPEC.accepts("12.5s"); // true
 * }</pre>
 */
public enum ParameterType {
  /** Any text ({@code string} or {@code default}). */
  STRING("a string"),
  /** The integer grammar of {@link IntegerText}. */
  INTEGER("an integer"),
  /** A literal address, see {@link AddressText}. */
  ADDRESS("an address"),
  /** The timespec grammar of {@link Timespec}. */
  TIMESPEC("a timespec");

  private final String description;

  ParameterType(String description) {
    this.description = description;
  }

  /**
   * Whether a value is of this type.
   *
   * @param value the value
   * @return true if it is
   */
  public boolean accepts(String value) {
    return switch (this) {
      case STRING -> true;
      case INTEGER -> IntegerText.isValid(value);
      case ADDRESS -> AddressText.isValid(value);
      case TIMESPEC -> Timespec.isValid(value);
    };
  }

  /**
   * Returns the type with an article, for messages ("an integer").
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /** The type named in a definition file, or null. */
  static ParameterType named(String name) {
    return switch (name) {
      case "string", "default" -> STRING;
      case "integer" -> INTEGER;
      case "address" -> ADDRESS;
      case "timespec" -> TIMESPEC;
      default -> null;
    };
  }
}
