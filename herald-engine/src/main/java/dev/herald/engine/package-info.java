/**
 * A plugin event engine, wire-compatible with Tapis event-engine: an {@link dev.herald.engine.App}
 * is a set of internal plugins (threads, {@link dev.herald.engine.Plugin}) and external plugins
 * (other processes, {@link dev.herald.engine.ExternalPlugin}) that publish and subscribe to events
 * typed by a byte prefix ({@link dev.herald.engine.EventType}).
 *
 * <pre>{@code
 * EventType greeting = EventType.named("Greeting");
 * new App(5559, 5560)
 *     .registerPlugin(new Plugin() {
 *       public String name() { return "hello"; }
 *       public List<EventType> subscriptions() { return List.of(); }
 *       public void start(Publisher publisher, Inbox inbox) {
 *         publisher.publish(greeting.prefixed("hi".getBytes(UTF_8)));
 *       }
 *     })
 *     .run();
 * }</pre>
 */
package dev.herald.engine;
