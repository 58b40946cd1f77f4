package dev.herald.examples.engine;

/**
 * Why an example could not run to its end: its plugin process could not start, or it ended before
 * the example did.
 *
 * <pre>{@code
 * try {
 *   ExampleApp.run(5559, 5560, 6000, System.out::println);
 * } catch (ExampleException e) {
 *   System.err.println(e.kind() + ": " + e.getMessage());
 * }
 * }</pre>
 */
public final class ExampleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The plugin process could not be started (no interpreter, no temporary directory). */
    PLUGIN_START,
    /** The plugin process ended (killed, crashed or failed) before the example finished. */
    PLUGIN_DIED
  }

  private final Kind kind;

  ExampleException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * Returns what went wrong.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }
}
