package dev.herald.examples.engine;

import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The example's counter: answers each of five TypeA messages with TypeB and the body's length.
 *
 * <pre>{@code
 * app.registerPlugin(new CounterPlugin(System.out::println));
 * }</pre>
 */
public final class CounterPlugin implements Plugin {
  private final Consumer<String> log;

  /**
   * Creates the plugin.
   *
   * @param log receives one line per event
   */
  public CounterPlugin(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public String name() {
    return "counter";
  }

  @Override
  public List<EventType> subscriptions() {
    return List.of(ExampleTypes.TYPE_A);
  }

  @Override
  public void start(Publisher publisher, Inbox inbox) {
    for (int i = 0; i < 5; i++) {
      ExampleTypes.TypeA message = ExampleTypes.A.decode(inbox.take());
      int count = message.text().getBytes(StandardCharsets.UTF_8).length;
      publisher.publish(ExampleTypes.B, new ExampleTypes.TypeB(count));
      log.accept("counter got TypeA '" + message.text() + "', published TypeB " + count);
    }
  }
}
