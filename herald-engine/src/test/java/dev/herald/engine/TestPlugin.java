package dev.herald.engine;

import java.util.List;

/** An internal plugin made of a name, subscriptions and a body, for tests. */
record TestPlugin(String name, List<EventType> subscriptions, Body body) implements Plugin {
  @FunctionalInterface
  interface Body {
    void run(Publisher publisher, Inbox inbox) throws Exception;
  }

  static TestPlugin of(String name, Body body, EventType... subscriptions) {
    return new TestPlugin(name, List.of(subscriptions), body);
  }

  @Override
  public void start(Publisher publisher, Inbox inbox) throws Exception {
    body.run(publisher, inbox);
  }
}
