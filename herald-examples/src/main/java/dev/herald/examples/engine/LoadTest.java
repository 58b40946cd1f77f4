package dev.herald.examples.engine;

import dev.herald.engine.App;
import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upstream's load test, ported: a producer publishes {@code InitialMsgString} events with bodies of
 * round-robin sizes, an operator answers each with {@code OperatorMsg} and the body's length, and
 * an accumulator sums the lengths. Nothing paces the producer: the engine's backpressure does.
 *
 * <pre>{@code
 * App app = new App(5559, 5560);
 * LoadTest load = LoadTest.register(app, 1_000_000, 100, 1000);
 * app.run();
 * assert load.received() == 1_000_000;
 * }</pre>
 */
public final class LoadTest {
  /** The producer's events. */
  public static final EventType INITIAL = EventType.named("InitialMsgString");

  /** The operator's events. */
  public static final EventType OPERATOR = EventType.named("OperatorMsg");

  private final long messages;
  private final byte[][] events;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong totalLength = new AtomicLong();

  private LoadTest(long messages, int minSize, int maxSize) {
    this.messages = messages;
    this.events = new byte[maxSize - minSize + 1][];
    for (int i = 0; i < events.length; i++) {
      byte[] body = new byte[minSize + i];
      Arrays.fill(body, (byte) 'X');
      events[i] = INITIAL.prefixed(body);
    }
  }

  /**
   * Registers the three plugins on {@code app}.
   *
   * @param app the application
   * @param messages how many events the producer publishes ({@code Long.MAX_VALUE}: until closed)
   * @param minSize the smallest body
   * @param maxSize the largest body
   * @return the load test, to read its counters
   */
  public static LoadTest register(App app, long messages, int minSize, int maxSize) {
    if (minSize < 0 || maxSize < minSize) {
      throw new IllegalArgumentException("sizes must satisfy 0 <= min <= max");
    }
    LoadTest load = new LoadTest(messages, minSize, maxSize);
    app.registerPlugin(load.new Producer())
        .registerPlugin(load.new Operator())
        .registerPlugin(load.new Accumulator());
    return load;
  }

  /**
   * Returns the events the accumulator has received so far.
   *
   * @return the count
   */
  public long received() {
    return received.get();
  }

  /**
   * Returns the sum of the lengths the accumulator has received so far.
   *
   * @return the sum
   */
  public long totalLength() {
    return totalLength.get();
  }

  /**
   * Returns the sum of lengths a complete run must reach.
   *
   * @return the expected total
   */
  public long expectedTotalLength() {
    long total = 0;
    for (long i = 0; i < messages; i++) {
      total += events[(int) (i % events.length)].length - INITIAL.filter().length;
    }
    return total;
  }

  private final class Producer implements Plugin {
    @Override
    public String name() {
      return "load_producer";
    }

    @Override
    public List<EventType> subscriptions() {
      return List.of();
    }

    @Override
    public void start(Publisher publisher, Inbox inbox) {
      for (long i = 0; i < messages; i++) {
        publisher.publish(events[(int) (i % events.length)]);
      }
    }
  }

  private final class Operator implements Plugin {
    @Override
    public String name() {
      return "load_operator";
    }

    @Override
    public List<EventType> subscriptions() {
      return List.of(INITIAL);
    }

    @Override
    public void start(Publisher publisher, Inbox inbox) {
      int prefix = INITIAL.filter().length;
      for (long i = 0; i < messages; i++) {
        int length = inbox.take().length - prefix;
        publisher.publish(
            OPERATOR.prefixed(Integer.toString(length).getBytes(StandardCharsets.US_ASCII)));
      }
    }
  }

  private final class Accumulator implements Plugin {
    @Override
    public String name() {
      return "load_accumulator";
    }

    @Override
    public List<EventType> subscriptions() {
      return List.of(OPERATOR);
    }

    @Override
    public void start(Publisher publisher, Inbox inbox) {
      int prefix = OPERATOR.filter().length;
      long sum = 0;
      for (long i = 1; i <= messages; i++) {
        byte[] event = inbox.take();
        sum +=
            Long.parseLong(
                new String(event, prefix, event.length - prefix, StandardCharsets.US_ASCII));
        if ((i & 1023) == 0 || i == messages) {
          // Release stores: readers on other threads see progress without a fence per event.
          received.setRelease(i);
          totalLength.setRelease(sum);
        }
      }
    }
  }
}
