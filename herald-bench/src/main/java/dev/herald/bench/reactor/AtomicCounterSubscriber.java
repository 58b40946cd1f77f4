package dev.herald.bench.reactor;

import dev.herald.reactor.Counter;
import dev.herald.reactor.EventOps;
import dev.herald.reactor.EventSet;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.Events;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts callbacks in an {@link AtomicLong} other threads may read: upstream's {@code
 * CounterInnerMutSubscriber} ({@code Arc<dyn EventSubscriber + Send + Sync>}).
 */
public final class AtomicCounterSubscriber implements EventSubscriber {
  private final Counter counter = new Counter();
  private final AtomicLong count = new AtomicLong();

  /**
   * The eventfd to trigger.
   *
   * @return the counter
   */
  public Counter counter() {
    return counter;
  }

  @Override
  public void init(EventOps ops) {
    ops.add(Events.of(counter, EventSet.IN));
  }

  @Override
  public void process(Events events, EventOps ops) {
    if (events.eventSet() == EventSet.IN) {
      count.incrementAndGet();
    }
  }
}
