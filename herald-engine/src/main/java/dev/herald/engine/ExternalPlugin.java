package dev.herald.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The engine-side stand-in for a plugin running in another process (for example Python with {@code
 * pyevents/events.py}). The engine binds a ZeroMQ REP socket on {@link #tcpPort()} and runs the
 * upstream command loop on it: {@code plugin_command: next_msg} returns the next subscribed event
 * (waiting for one), {@code plugin_command: quit} ends the plugin without a reply, anything else is
 * published and answered with {@code event-engine: msg published}.
 *
 * <pre>{@code
 * App app = new App(5559, 5560)
 *     .registerExternalPlugin(ExternalPlugin.of("py_plugin", 6000, TypeA, TypeB));
 * }</pre>
 */
public interface ExternalPlugin {
  /**
   * Returns the name, also the engine-side thread's name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns a unique id; by default derived from the name.
   *
   * @return the id
   */
  default UUID id() {
    return UUID.nameUUIDFromBytes(("herald-external:" + name()).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the TCP port of the plugin's command socket (REP).
   *
   * @return the port
   */
  int tcpPort();

  /**
   * Returns the event types the external process receives through {@code next_msg}.
   *
   * @return the subscriptions
   */
  List<EventType> subscriptions();

  /**
   * An external plugin described by its name, port and subscriptions.
   *
   * @param name the name
   * @param tcpPort the REP port
   * @param subscriptions the subscribed types
   * @return the plugin
   */
  static ExternalPlugin of(String name, int tcpPort, EventType... subscriptions) {
    return new ExternalPluginSpec(name, tcpPort, List.of(subscriptions));
  }
}
