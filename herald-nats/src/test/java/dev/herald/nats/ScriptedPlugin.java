package dev.herald.nats;

import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import java.util.List;

/** An internal plugin made of a name, subscriptions and a body, for tests. */
record ScriptedPlugin(String name, List<EventType> subscriptions, Body body) implements Plugin {
  @FunctionalInterface
  interface Body {
    void run(Publisher publisher, Inbox inbox) throws Exception;
  }

  static ScriptedPlugin of(String name, Body body, EventType... subscriptions) {
    return new ScriptedPlugin(name, List.of(subscriptions), body);
  }

  @Override
  public void start(Publisher publisher, Inbox inbox) throws Exception {
    body.run(publisher, inbox);
  }
}
