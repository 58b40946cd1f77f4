package dev.herald.dispatcher;

/**
 * What a {@link MatchFunction} says about a message.
 *
 * <pre>{@code
 * MatchFunction logs = (match, message) ->
 *     message.command().startsWith("LOG") ? MatchResult.TRUE : MatchResult.FALSE;
 * }</pre>
 */
public enum MatchResult {
  /** Not this entry: try the next one. */
  FALSE,
  /** This entry handles the message: run its callback and stop. */
  TRUE,
  /** Run this entry's callback and go on with the next entries. */
  CALLBACK
}
