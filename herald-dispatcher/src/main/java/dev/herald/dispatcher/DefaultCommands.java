package dev.herald.dispatcher;

import java.time.InstantSource;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands every eventdispatcher service understands (upstream's {@code
 * add_communicator_commands}), all at {@link DispatcherMatch#SYSTEM_PRIORITY} so a user entry at
 * the default priority overrides them:
 *
 * <ul>
 *   <li>{@code ALIVE} → {@code ABSOLUTELY} with {@code serial} and {@code timestamp} copied and
 *       {@code reply_timestamp} = now ({@code SEC.NNNNNNNNN});
 *   <li>{@code HELP} → {@code COMMANDS list=A,B,...} (sorted; non-exact entries ask {@link
 *       ServiceHooks#help});
 *   <li>{@code STOP}, {@code QUITTING}, {@code READY}, {@code RESTART}, {@code LOG_ROTATE}, {@code
 *       LEAK} → the {@link ServiceHooks}; {@code INVALID} and {@code UNKNOWN} are logged; {@code
 *       SERVICE_UNAVAILABLE} is ignored;
 *   <li>anything else (with the catch-all) → {@code UNKNOWN command=<command>}.
 * </ul>
 *
 * <pre>{@code
 * DefaultCommands defaults = DefaultCommands.install(dispatcher, service);
 * defaults.registerService("my_service");       // REGISTER service=my_service;version=1
 * ...
 * dispatcher.removeMatches(defaults.tag());     // uninstall
 * }</pre>
 */
public final class DefaultCommands {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultCommands.class);

  private final Dispatcher dispatcher;
  private final ServiceHooks hooks;
  private final InstantSource clock;
  private final int tag = DispatcherMatch.nextTag();
  private boolean ready;
  private String myAddress = "";

  private DefaultCommands(Dispatcher dispatcher, ServiceHooks hooks, InstantSource clock) {
    this.dispatcher = dispatcher;
    this.hooks = hooks;
    this.clock = clock;
  }

  /**
   * Installs the default commands and the catch-all, with the system clock.
   *
   * @param dispatcher the dispatcher
   * @param hooks what the service does on them
   * @return the installed commands
   */
  public static DefaultCommands install(Dispatcher dispatcher, ServiceHooks hooks) {
    return install(dispatcher, hooks, true, InstantSource.system());
  }

  /**
   * Installs the default commands.
   *
   * @param dispatcher the dispatcher
   * @param hooks what the service does on them
   * @param autoCatchAll whether to add the catch-all answering {@code UNKNOWN}
   * @param clock the clock of {@code reply_timestamp}
   * @return the installed commands
   * @throws MessageException of kind {@code IMPLEMENTATION_ERROR} when the dispatcher has them
   *     already (upstream silently duplicates them)
   */
  public static DefaultCommands install(
      Dispatcher dispatcher, ServiceHooks hooks, boolean autoCatchAll, InstantSource clock) {
    if (!dispatcher.claimDefaultCommands()) {
      throw new MessageException(
          MessageException.Kind.IMPLEMENTATION_ERROR,
          "the default commands are already installed in this dispatcher; install them once.");
    }
    DefaultCommands commands = new DefaultCommands(dispatcher, hooks, clock);
    try {
      for (DispatcherMatch match : commands.entries()) {
        dispatcher.addMatch(match);
      }
      if (autoCatchAll) {
        dispatcher.addMatch(
            new DispatcherMatch(
                null,
                commands::replyWithUnknown,
                MatchFunction.ALWAYS,
                commands.tag,
                DispatcherMatch.SYSTEM_PRIORITY));
      }
    } catch (MessageException e) {
      dispatcher.removeMatches(commands.tag);
      dispatcher.releaseDefaultCommands();
      throw e;
    }
    return commands;
  }

  private List<DispatcherMatch> entries() {
    return List.of(
        system("ALIVE", this::alive),
        system("HELP", this::help),
        system("INVALID", this::logUnknown),
        system("LEAK", m -> hooks.leak()),
        system("LOG_ROTATE", m -> hooks.logRotate()),
        system("QUITTING", m -> hooks.stop(true)),
        system("READY", this::ready),
        system("RESTART", hooks::restart),
        system("SERVICE_UNAVAILABLE", m -> {}),
        system("STOP", m -> hooks.stop(false)),
        system("UNKNOWN", this::logUnknown));
  }

  private DispatcherMatch system(String command, MessageHandler handler) {
    return new DispatcherMatch(
        command, handler, MatchFunction.ONE_TO_ONE, tag, DispatcherMatch.SYSTEM_PRIORITY);
  }

  /**
   * Returns the tag of every installed entry ({@code dispatcher.removeMatches(tag())} uninstalls).
   *
   * @return the tag
   */
  public int tag() {
    return tag;
  }

  /**
   * Whether READY was received.
   *
   * @return true after READY
   */
  public boolean isReady() {
    return ready;
  }

  /**
   * Returns the {@code my_address} of the last READY.
   *
   * @return the address text, empty when none was sent
   */
  public String myAddress() {
    return myAddress;
  }

  private void alive(Message message) {
    Message reply = new Message().setCommand("ABSOLUTELY");
    for (String copied : new String[] {"serial", "timestamp"}) {
      if (message.hasParameter(copied)) {
        reply.addParameter(copied, message.parameter(copied));
      }
    }
    reply.addParameter("reply_timestamp", Timespec.of(clock.instant()).toFullString());
    dispatcher.reply(message, reply);
  }

  private void help(Message message) {
    sendCommands(message);
  }

  private void ready(Message message) {
    if (message.hasParameter("my_address")) {
      myAddress = message.parameter("my_address");
    }
    hooks.ready(message);
    ready = true;
  }

  private void logUnknown(Message message) {
    LOG.error(
        "we sent command \"{}\" and the destination replied with \"{}\" so it probably did not"
            + " get executed{}",
        message.hasParameter("command") ? message.parameter("command") : "<undefined>",
        message.command(),
        message.hasParameter("message") ? ": " + message.parameter("message") : ".");
  }

  private void replyWithUnknown(Message message) {
    dispatcher.reply(
        message, new Message().setCommand("UNKNOWN").addParameter("command", message.command()));
  }

  /**
   * Sends {@code COMMANDS list=...}: to the sender of a message, or with no message to {@code
   * .:communicatord/}.
   *
   * @param to the message to answer, or null
   * @return true when sent
   * @throws MessageException of kind {@code IMPLEMENTATION_ERROR} when the list is empty
   */
  public boolean sendCommands(Message to) {
    TreeSet<String> commands = new TreeSet<>();
    if (dispatcher.commands(commands)) {
      hooks.help(commands);
    }
    if (commands.isEmpty()) {
      throw new MessageException(
          MessageException.Kind.IMPLEMENTATION_ERROR,
          "the list of commands is empty; add exact matches or list commands in"
              + " ServiceHooks.help().");
    }
    Message reply =
        new Message().setCommand("COMMANDS").addParameter("list", String.join(",", commands));
    if (to != null) {
      return dispatcher.reply(to, reply);
    }
    reply.setServer(".").setService("communicatord");
    return send(reply);
  }

  /**
   * Sends {@code REGISTER service=<name>;version=1} through the dispatcher's sender.
   *
   * @param service this service's name
   * @return true when sent
   */
  public boolean registerService(String service) {
    return send(
        new Message()
            .setCommand("REGISTER")
            .addParameter("service", service)
            .addVersionParameter());
  }

  /**
   * Sends {@code UNREGISTER service=<name>} through the dispatcher's sender.
   *
   * @param service this service's name
   * @return true when sent
   */
  public boolean unregisterService(String service) {
    return send(new Message().setCommand("UNREGISTER").addParameter("service", service));
  }

  private boolean send(Message message) {
    MessageSender sender = dispatcher.sender();
    if (sender == null) {
      LOG.warn("\"{}\" not sent: the dispatcher has no sender.", message);
      return false;
    }
    return sender.sendMessage(message, false);
  }
}
