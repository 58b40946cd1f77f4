package dev.herald.dispatcher;

/**
 * A flag of a parameter in a message definition ({@code flags=} in a {@code .conf} file; {@code
 * optional}, {@code defined} and {@code allowed} are accepted there and mean nothing). A parameter
 * without a {@code flags} key is {@code REQUIRED} and {@code EMPTY}.
 *
 * <pre>{@code
 * [timestamp]
 * type=timespec
 * flags=required
 * }</pre>
 */
public enum ParameterFlag {
  /** The parameter must be present. */
  REQUIRED,
  /** The value may be empty. */
  EMPTY,
  /** The parameter must not be present. */
  FORBIDDEN
}
