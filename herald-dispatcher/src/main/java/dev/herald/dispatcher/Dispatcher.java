package dev.herald.dispatcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes messages to callbacks, as upstream's {@code dispatcher}. Entries are tried in priority
 * order (an entry goes before the first entry of a strictly greater priority, so equal priorities
 * keep their order of addition). An entry whose function answers {@link MatchResult#TRUE} handles
 * the message and ends the search; {@link MatchResult#CALLBACK} runs the callback and goes on. The
 * single catch-all entry runs only when no entry processed the message; when nothing matched at
 * all, {@link #dispatch} returns false and {@link #dispatchMessage} calls the fallback.
 *
 * <p>Before a callback runs, the message is checked against the definition of its command; a
 * message that fails gets an {@code INVALID command=...;message=...} reply and the callback does
 * not run. Replies go to the connection the message arrived on ({@link Message#origin()}), else to
 * the dispatcher's {@link #setSender sender}. Not thread-safe: use it from its loop's thread.
 *
 * <pre>{@code
 * Dispatcher dispatcher = new Dispatcher();
 * dispatcher.setSender(connection);
 * dispatcher.addMatch(DispatcherMatch.command("PING", m -> dispatcher.reply(m, new Message().setCommand("PONG"))));
 * DefaultCommands.install(dispatcher, service);       // ALIVE, HELP, STOP, ..., UNKNOWN
 * dispatcher.dispatchMessage(Message.parse("PING"));
 * }</pre>
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final DispatcherMatch[] NONE = new DispatcherMatch[0];

  private final MessageDefinitions definitions;
  // Replaced, never modified in place: a callback may add or remove entries during a dispatch.
  private DispatcherMatch[] matches = NONE;
  private DispatcherMatch end;
  private MessageSender sender;
  private boolean trace;
  private boolean defaultCommands;
  private MessageHandler fallback = Dispatcher::notCaught;

  /** Creates a dispatcher checking messages against Herald's built-in definitions. */
  public Dispatcher() {
    this(MessageDefinitions.builtIn());
  }

  /**
   * Creates a dispatcher.
   *
   * @param definitions the message definitions to check messages against ({@link
   *     MessageDefinitions#none()} to check nothing)
   */
  public Dispatcher(MessageDefinitions definitions) {
    this.definitions = definitions;
  }

  /**
   * Returns the message definitions.
   *
   * @return the definitions
   */
  public MessageDefinitions definitions() {
    return definitions;
  }

  /**
   * Adds an entry before the first entry of a strictly greater priority. A catch-all ({@link
   * MatchFunction#ALWAYS}) goes to the single end slot.
   *
   * @param match the entry
   * @throws MessageException of kind {@code IMPLEMENTATION_ERROR} for a second catch-all
   */
  public void addMatch(DispatcherMatch match) {
    if (match.matchFunction() == MatchFunction.ALWAYS) {
      if (end != null) {
        throw new MessageException(
            MessageException.Kind.IMPLEMENTATION_ERROR,
            "add_match() called with a second \"always_match()\" rule (expression \""
                + (match.expression() == null ? "<undefined>" : match.expression())
                + "\").");
      }
      end = match;
      return;
    }
    int at = 0;
    while (at < matches.length && matches[at].priority() <= match.priority()) {
      at++;
    }
    DispatcherMatch[] grown = new DispatcherMatch[matches.length + 1];
    System.arraycopy(matches, 0, grown, 0, at);
    grown[at] = match;
    System.arraycopy(matches, at, grown, at + 1, matches.length - at);
    matches = grown;
  }

  /**
   * Adds entries in order.
   *
   * @param entries the entries
   */
  public void addMatches(List<DispatcherMatch> entries) {
    for (DispatcherMatch match : entries) {
      addMatch(match);
    }
  }

  /**
   * Removes every entry with a tag, the catch-all included; {@link DispatcherMatch#NO_TAG} removes
   * nothing.
   *
   * @param tag the tag
   */
  public void removeMatches(int tag) {
    if (tag == DispatcherMatch.NO_TAG) {
      return;
    }
    matches = Arrays.stream(matches).filter(m -> m.tag() != tag).toArray(DispatcherMatch[]::new);
    if (end != null && end.tag() == tag) {
      end = null;
    }
  }

  /**
   * Returns the entries in the order they are tried, the catch-all last.
   *
   * @return a copy
   */
  public List<DispatcherMatch> matches() {
    List<DispatcherMatch> all = new ArrayList<>(Arrays.asList(matches));
    if (end != null) {
      all.add(end);
    }
    return List.copyOf(all);
  }

  /**
   * Dispatches a message (upstream's algorithm, described in the class comment).
   *
   * @param message the message
   * @return true when an entry processed it (the catch-all included)
   */
  public boolean dispatch(Message message) {
    if (trace) {
      LOG.info("dispatch message \"{}\".", message);
    }
    for (DispatcherMatch match : matches) {
      MatchResult result = match.matchFunction().match(match, message);
      if (result == MatchResult.TRUE || result == MatchResult.CALLBACK) {
        execute(match, message);
        if (result == MatchResult.TRUE) {
          return true;
        }
      }
    }
    if (message.wasProcessed()) {
      return true;
    }
    if (end != null) {
      execute(end, message);
      return true;
    }
    return false;
  }

  /**
   * Dispatches a message and hands it to the fallback when no entry processed it (upstream's {@code
   * dispatcher_support::dispatch_message}).
   *
   * @param message the message
   */
  public void dispatchMessage(Message message) {
    if (!dispatch(message)) {
      fallback.handle(message);
    }
  }

  /**
   * Sets what {@link #dispatchMessage} does with a message no entry took (upstream's {@code
   * process_message()}); by default it throws an {@code IMPLEMENTATION_ERROR}.
   *
   * @param fallback the handler
   */
  public void setFallback(MessageHandler fallback) {
    this.fallback = fallback;
  }

  private static void notCaught(Message message) {
    throw new MessageException(
        MessageException.Kind.IMPLEMENTATION_ERROR,
        "your class is not reimplementing the process_message() virtual function and your"
            + " dispatcher did not catch message \""
            + message
            + "\"; add a catch-all entry or set a fallback.");
  }

  private void execute(DispatcherMatch match, Message message) {
    message.markProcessed();
    String problem = definitions.find(message.command()).check(message);
    if (problem != null) {
      LOG.warn("message \"{}\" does not match its definition: {}", message, problem);
      Message invalid =
          new Message()
              .setCommand("INVALID")
              .addParameter("command", message.command())
              .addParameter("message", problem);
      reply(message, invalid);
      return;
    }
    match.callback().handle(message);
  }

  /**
   * Sends a reply to the sender of a message: the reply is addressed with {@link Message#replyTo}
   * and sent through the message's {@link Message#origin() origin}, else through this dispatcher's
   * sender. A reply that cannot be addressed or sent is logged and dropped.
   *
   * @param received the message to answer
   * @param reply the reply
   * @return true when the reply was sent
   */
  public boolean reply(Message received, Message reply) {
    try {
      reply.replyTo(received);
    } catch (MessageException e) {
      LOG.warn("reply {} dropped: {}", reply.command(), e.getMessage());
      return false;
    }
    MessageSender to = received.origin() != null ? received.origin() : sender;
    if (to == null) {
      LOG.warn(
          "reply \"{}\" dropped: the message has no origin and the dispatcher no sender;"
              + " call Dispatcher.setSender().",
          reply);
      return false;
    }
    return to.sendMessage(reply, false);
  }

  /**
   * Sets the connection replies go to when a message has no origin.
   *
   * @param sender the sender, or null
   */
  public void setSender(MessageSender sender) {
    this.sender = sender;
  }

  /**
   * Returns the connection replies go to when a message has no origin.
   *
   * @return the sender, or null
   */
  public MessageSender sender() {
    return sender;
  }

  /**
   * Turns logging of every dispatched message on or off.
   *
   * @param trace true to log
   */
  public void setTrace(boolean trace) {
    this.trace = trace;
  }

  /**
   * Whether every dispatched message is logged.
   *
   * @return the trace flag
   */
  public boolean isTrace() {
    return trace;
  }

  /**
   * Adds the expressions of the exact-match entries to a set (upstream's {@code get_commands}).
   *
   * @param commands where to add them
   * @return true when some entry is not an exact match (a catch-all, a pattern), so the service
   *     must list the commands those accept itself
   */
  public boolean commands(Set<String> commands) {
    boolean needUserHelp = end != null;
    for (DispatcherMatch match : matches) {
      if (match.isExact()) {
        commands.add(match.expression());
      } else {
        needUserHelp = true;
      }
    }
    return needUserHelp;
  }

  /** Records that the default commands are installed; false if they were already. */
  boolean claimDefaultCommands() {
    if (defaultCommands) {
      return false;
    }
    defaultCommands = true;
    return true;
  }

  /** Forgets that the default commands are installed. */
  void releaseDefaultCommands() {
    defaultCommands = false;
  }
}
