package dev.herald.dispatcher;

/**
 * A dispatcher callback: receives a message that matched its entry.
 *
 * <pre>{@code
 * MessageHandler onStop = message -> loop.stop();
 * dispatcher.addMatch(DispatcherMatch.command("STOP", onStop));
 * }</pre>
 */
@FunctionalInterface
public interface MessageHandler {
  /**
   * Handles a message.
   *
   * @param message the message (marked processed already)
   */
  void handle(Message message);
}
