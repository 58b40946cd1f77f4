/**
 * The eventdispatcher message protocol and message dispatcher, after m2osw {@code eventdispatcher}:
 * services talk in one-line messages such as {@code <myhost:ed_signal snap:cluckd/STOP
 * secret_code=x} and route them to callbacks.
 *
 * <p>The story in the order of the files: a {@link dev.herald.dispatcher.Message} has the sender,
 * the destination, a command and sorted parameters; {@link dev.herald.dispatcher.MessageParser}
 * reads it from bytes (string or JSON form) and {@link dev.herald.dispatcher.MessageWriter} writes
 * it; {@link dev.herald.dispatcher.Dispatcher} routes it through prioritised {@link
 * dev.herald.dispatcher.DispatcherMatch} entries; {@link dev.herald.dispatcher.DefaultCommands}
 * answers ALIVE, HELP and the other standard commands through a {@link
 * dev.herald.dispatcher.MessageSender}; {@link dev.herald.dispatcher.MessageDefinitions} checks
 * parameters before callbacks run; every failure is a {@link
 * dev.herald.dispatcher.MessageException}.
 *
 * <pre>{@code
 * Dispatcher dispatcher = new Dispatcher();
 * dispatcher.setSender(connection);
 * dispatcher.addMatch(DispatcherMatch.command("RELOAD", m -> reload()));
 * DefaultCommands.install(dispatcher, service);
 * MessageParser parser = new MessageParser();
 * dispatcher.dispatchMessage(parser.parse(line, 0, length)); // RELOAD, or HELP → COMMANDS ...
 * }</pre>
 */
package dev.herald.dispatcher;
