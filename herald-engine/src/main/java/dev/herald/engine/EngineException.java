package dev.herald.engine;

/**
 * A failure of the engine: what failed, on which port or plugin, and what to do about it.
 *
 * <pre>{@code
 * try {
 *   app.run();
 * } catch (EngineException e) {
 *   if (e.kind() == EngineException.Kind.PORT_IN_USE) { ... } // pick other ports
 *   if (e.kind() == EngineException.Kind.PLUGIN_FAILED) { e.getCause().printStackTrace(); }
 * }
 * }</pre>
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** A TCP port (publish, subscribe or an external plugin's) is already bound by someone else. */
    PORT_IN_USE,
    /** Creating or binding a ZeroMQ socket failed for another reason (bad address, ...). */
    SOCKET,
    /** The application is configured wrongly (duplicate ids or ports, bad limits, run twice). */
    CONFIGURATION,
    /** A plugin could not be set up ({@code subscriptions()} threw); nothing was started. */
    PLUGIN_SETUP,
    /** A plugin threw from {@code start}; the other plugins were stopped. */
    PLUGIN_FAILED,
    /** The application was closed while the caller was publishing or waiting for an event. */
    CLOSED,
    /** The calling thread was interrupted while it waited. */
    INTERRUPTED
  }

  private final Kind kind;

  EngineException(Kind kind, String message) {
    this(kind, message, null);
  }

  EngineException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * Returns what went wrong.
   *
   * @return the kind of failure
   */
  public Kind kind() {
    return kind;
  }
}
