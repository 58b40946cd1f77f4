package dev.herald.dispatcher;

import java.util.regex.Pattern;

/**
 * Decides whether a dispatcher entry takes a message. Upstream's four functions are constants here;
 * {@link #glob} and {@link #regex} add the pattern matching upstream leaves to its users.
 *
 * <pre>{@code
 * DispatcherMatch.builder()
 *     .expression("FLUID_SETTINGS_*")
 *     .matchFunction(MatchFunction.glob("FLUID_SETTINGS_*"))
 *     .callback(this::onSettings)
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface MatchFunction {
  /** Upstream {@code one_to_one_match}: the command equals the expression → {@code TRUE}. */
  MatchFunction ONE_TO_ONE =
      (match, message) ->
          message.command().equals(match.expression()) ? MatchResult.TRUE : MatchResult.FALSE;

  /** Upstream {@code one_to_one_callback_match}: equal → {@code CALLBACK} (and go on). */
  MatchFunction ONE_TO_ONE_CALLBACK =
      (match, message) ->
          message.command().equals(match.expression()) ? MatchResult.CALLBACK : MatchResult.FALSE;

  /** Upstream {@code always_match}: the catch-all, run only when nothing else processed. */
  MatchFunction ALWAYS = (match, message) -> MatchResult.TRUE;

  /** Upstream {@code callback_match}: every message → {@code CALLBACK}. */
  MatchFunction CALLBACK = (match, message) -> MatchResult.CALLBACK;

  /**
   * Decides.
   *
   * @param match the entry being tried
   * @param message the message
   * @return the decision
   */
  MatchResult match(DispatcherMatch match, Message message);

  /**
   * Matches commands against a glob: {@code *} any run of characters, {@code ?} one character.
   *
   * @param glob the pattern, e.g. {@code LOG_*}
   * @return a function answering {@code TRUE} on a match
   */
  static MatchFunction glob(String glob) {
    StringBuilder regex = new StringBuilder();
    int literal = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal < i) {
          regex.append(Pattern.quote(glob.substring(literal, i)));
        }
        regex.append(c == '*' ? ".*" : ".");
        literal = i + 1;
      }
    }
    if (literal < glob.length()) {
      regex.append(Pattern.quote(glob.substring(literal)));
    }
    return regex(regex.toString());
  }

  /**
   * Matches commands against a regular expression (the whole command must match).
   *
   * @param regex a {@link Pattern} expression
   * @return a function answering {@code TRUE} on a match
   */
  static MatchFunction regex(String regex) {
    Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
    return (match, message) ->
        pattern.matcher(message.command()).matches() ? MatchResult.TRUE : MatchResult.FALSE;
  }
}
