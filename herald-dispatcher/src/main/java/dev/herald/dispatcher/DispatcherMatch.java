package dev.herald.dispatcher;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One dispatcher entry: an expression, the callback, the function deciding whether a message
 * matches, a tag to remove entries by group, and a priority from 0 (tried first) to 15.
 *
 * <pre>{@code
 * dispatcher.addMatch(DispatcherMatch.command("PING", this::onPing));   // exact, priority 7
 * dispatcher.addMatch(DispatcherMatch.builder()
 *     .expression("LOG_.*").matchFunction(MatchFunction.regex("LOG_.*"))
 *     .callback(this::onLog).tag(DispatcherMatch.nextTag()).priority(3)
 *     .build());
 * }</pre>
 *
 * @param expression the command (exact matches) or pattern; may be null for functions that do not
 *     use it
 * @param callback what to run on a match
 * @param matchFunction decides whether a message matches
 * @param tag a group number for {@link Dispatcher#removeMatches}; {@value #NO_TAG} for none
 * @param priority {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}; lower runs first
 */
public record DispatcherMatch(
    String expression,
    MessageHandler callback,
    MatchFunction matchFunction,
    int tag,
    int priority) {
  /** The smallest priority (tried first). */
  public static final int MIN_PRIORITY = 0;

  /** The priority of callback entries that must see messages first. */
  public static final int CALLBACK_PRIORITY = 0;

  /** The default priority of user entries. */
  public static final int DEFAULT_PRIORITY = 7;

  /** The priority of the default (system) commands, so user entries override them. */
  public static final int SYSTEM_PRIORITY = 10;

  /** The largest priority. */
  public static final int MAX_PRIORITY = 15;

  /** The tag of entries that belong to no group. */
  public static final int NO_TAG = 0;

  private static final AtomicInteger TAGS = new AtomicInteger();

  /**
   * Validates the entry with upstream's texts.
   *
   * @param expression the expression
   * @param callback the callback
   * @param matchFunction the match function
   * @param tag the tag
   * @param priority the priority
   * @throws MessageException of kind {@code PARAMETER_ERROR} on a missing callback, a missing
   *     expression for an exact match or a priority out of range
   */
  public DispatcherMatch {
    if (callback == null) {
      throw parameterError(
          "a callback function is required in dispatcher_match, it cannot be set to nullptr.");
    }
    if (matchFunction == null) {
      matchFunction = MatchFunction.ONE_TO_ONE;
    }
    if (expression == null
        && (matchFunction == MatchFunction.ONE_TO_ONE
            || matchFunction == MatchFunction.ONE_TO_ONE_CALLBACK)) {
      throw parameterError("an expression is required for the one_to_one_match().");
    }
    if (priority > MAX_PRIORITY) {
      throw parameterError("priority too large for dispatcher match.");
    }
    if (priority < MIN_PRIORITY) {
      throw parameterError("priority cannot be negative for dispatcher match.");
    }
  }

  private static MessageException parameterError(String text) {
    return new MessageException(MessageException.Kind.PARAMETER_ERROR, text);
  }

  /**
   * An exact match on a command at the default priority (upstream {@code DISPATCHER_MATCH}).
   *
   * @param command the command
   * @param callback the callback
   * @return the entry
   */
  public static DispatcherMatch command(String command, MessageHandler callback) {
    return new DispatcherMatch(
        command, callback, MatchFunction.ONE_TO_ONE, NO_TAG, DEFAULT_PRIORITY);
  }

  /**
   * The catch-all entry (upstream {@code DISPATCHER_CATCH_ALL}).
   *
   * @param callback the callback
   * @return the entry
   */
  public static DispatcherMatch catchAll(MessageHandler callback) {
    return new DispatcherMatch(null, callback, MatchFunction.ALWAYS, NO_TAG, DEFAULT_PRIORITY);
  }

  /**
   * Returns a new tag, different from every tag returned before in this process.
   *
   * @return a tag, never {@value #NO_TAG}
   */
  public static int nextTag() {
    int tag;
    do {
      tag = TAGS.incrementAndGet();
    } while (tag == NO_TAG);
    return tag;
  }

  /**
   * Starts an entry: exact match, no tag, default priority until set otherwise.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this entry lists its expression in a {@code COMMANDS} reply (exact matches). */
  boolean isExact() {
    return matchFunction == MatchFunction.ONE_TO_ONE
        || matchFunction == MatchFunction.ONE_TO_ONE_CALLBACK;
  }

  /** Builds a {@link DispatcherMatch} field by field, in any order. */
  public static final class Builder {
    private String expression;
    private MessageHandler callback;
    private MatchFunction matchFunction = MatchFunction.ONE_TO_ONE;
    private int tag = NO_TAG;
    private int priority = DEFAULT_PRIORITY;

    private Builder() {}

    /**
     * Sets the expression.
     *
     * @param expression the command or pattern
     * @return this builder
     */
    public Builder expression(String expression) {
      this.expression = expression;
      return this;
    }

    /**
     * Sets the callback.
     *
     * @param callback the callback
     * @return this builder
     */
    public Builder callback(MessageHandler callback) {
      this.callback = callback;
      return this;
    }

    /**
     * Sets the match function.
     *
     * @param matchFunction the function
     * @return this builder
     */
    public Builder matchFunction(MatchFunction matchFunction) {
      this.matchFunction = matchFunction;
      return this;
    }

    /**
     * Sets the tag.
     *
     * @param tag the tag
     * @return this builder
     */
    public Builder tag(int tag) {
      this.tag = tag;
      return this;
    }

    /**
     * Sets the priority.
     *
     * @param priority 0 to 15
     * @return this builder
     */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * Builds and validates the entry.
     *
     * @return the entry
     * @throws MessageException when a field is invalid (upstream's texts)
     */
    public DispatcherMatch build() {
      return new DispatcherMatch(expression, callback, matchFunction, tag, priority);
    }
  }
}
