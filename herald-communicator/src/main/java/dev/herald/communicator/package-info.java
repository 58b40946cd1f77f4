/**
 * The eventdispatcher communicator, after m2osw {@code eventdispatcher}: one event loop of
 * prioritised connections.
 *
 * <p>The story in the order of the files: a {@link dev.herald.communicator.Communicator} is the
 * loop, an ordinary object (upstream's is a process-wide singleton), over one herald-reactor {@code
 * EventManager} and one {@code timerfd}; it owns {@link dev.herald.communicator.Connection}s, each
 * with a name, a priority, an enabled flag, a done flag, a timeout and optionally an fd; a
 * connection's {@link dev.herald.communicator.ConnectionHandler} is called, round by round and in
 * priority order, for what its fd reported and when its timeout is due; failures are {@link
 * dev.herald.communicator.CommunicatorException}s with upstream's kinds and texts.
 *
 * <pre>{@code
 * try (Communicator communicator = new Communicator()) {
 *   Connection tick = Connection.timer("tick", 1_000_000, ConnectionHandler.onTimeout(c -> report()));
 *   communicator.add(tick);
 *   communicator.add(Connection.of("input", pipe.source(), inputHandler));
 *   communicator.run();                   // until no connection is left
 * }
 * }</pre>
 */
package dev.herald.communicator;
