/**
 * A ZeroMQ publish/subscribe plugin engine, wire-compatible with Tapis {@code event-engine}: {@link
 * dev.herald.engine.App}, internal and external plugins, typed events.
 */
module dev.herald.engine {
  requires org.zeromq.jeromq;

  exports dev.herald.engine;
}
