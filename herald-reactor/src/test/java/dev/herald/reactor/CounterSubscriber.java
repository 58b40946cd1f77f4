package dev.herald.reactor;

/**
 * Upstream's {@code CounterSubscriber}: registers its counter for IN; counts callbacks whose set is
 * exactly IN; on HANG_UP removes the fd and fails.
 */
public final class CounterSubscriber implements EventSubscriber {
  /** A subscriber with its own counter. */
  public CounterSubscriber() {}

  private final Counter counter = new Counter();

  @Override
  public void init(EventOps ops) {
    ops.add(Events.of(counter, EventSet.IN));
  }

  @Override
  public void process(Events events, EventOps ops) {
    EventSet set = events.eventSet();
    if (set.equals(EventSet.IN)) {
      counter.increment();
    } else if (set.contains(EventSet.HANG_UP)) {
      ops.remove(events);
      throw new IllegalStateException("Cannot recover from hang up on fd " + events.fd());
    }
  }

  /** The counter, to trigger and read. */
  public Counter counter() {
    return counter;
  }
}
