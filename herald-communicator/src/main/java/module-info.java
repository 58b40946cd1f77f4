/**
 * The eventdispatcher communicator: one event loop ({@link dev.herald.communicator.Communicator})
 * over prioritised connections with timers, stream connections composed of a transport, a framing
 * and a handler, listeners and message connections.
 */
module dev.herald.communicator {
  requires transitive dev.herald.dispatcher;
  requires transitive dev.herald.reactor;
  requires org.slf4j;

  exports dev.herald.communicator;
}
