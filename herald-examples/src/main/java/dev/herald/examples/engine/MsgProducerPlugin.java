package dev.herald.examples.engine;

import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import java.util.List;
import java.util.function.Consumer;

/**
 * The example's producer: publishes five TypeA messages, then waits for five TypeB counts and one
 * TypeC goodbye.
 *
 * <pre>{@code
 * app.registerPlugin(new MsgProducerPlugin(System.out::println));
 * }</pre>
 */
public final class MsgProducerPlugin implements Plugin {
  private final Consumer<String> log;

  /**
   * Creates the plugin.
   *
   * @param log receives one line per event
   */
  public MsgProducerPlugin(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public String name() {
    return "msg_producer";
  }

  @Override
  public List<EventType> subscriptions() {
    return List.of(ExampleTypes.TYPE_B, ExampleTypes.TYPE_C);
  }

  @Override
  public void start(Publisher publisher, Inbox inbox) {
    for (int i = 0; i < 5; i++) {
      publisher.publish(ExampleTypes.A, new ExampleTypes.TypeA("This is message " + i));
      log.accept("msg_producer published TypeA 'This is message " + i + "'");
    }
    int counts = 0;
    while (counts < 5) {
      byte[] event = inbox.take();
      if (ExampleTypes.B.matches(event)) {
        counts++;
        log.accept("msg_producer got TypeB count " + ExampleTypes.B.decode(event).count());
      }
    }
    while (true) {
      byte[] event = inbox.take();
      if (ExampleTypes.C.matches(event)) {
        log.accept("msg_producer got TypeC '" + ExampleTypes.C.decode(event).text() + "'");
        return;
      }
    }
  }
}
