package dev.herald.reactor;

/**
 * Upstream's {@code CounterSubscriberWithData}: three counters registered with data {@code first},
 * {@code first + 1} and {@code first + 2}; a callback picks its counter by data. With {@code
 * toggle}, the first callback removes and re-adds all three fds.
 */
public final class CounterSubscriberWithData implements EventSubscriber {
  private final int firstData;
  private final Counter[] counters = {new Counter(), new Counter(), new Counter()};
  private boolean toggle;

  public CounterSubscriberWithData(int firstData) {
    this.firstData = firstData;
  }

  /** Remove and re-add every fd in the first callback (upstream's {@code toggle_registry}). */
  public void toggleRegistry(boolean on) {
    toggle = on;
  }

  @Override
  public void init(EventOps ops) {
    for (int i = 0; i < counters.length; i++) {
      ops.add(Events.withData(counters[i], firstData + i, EventSet.IN));
    }
  }

  @Override
  public void process(Events events, EventOps ops) {
    counters[events.data() - firstData].increment();
    if (toggle) {
      toggle = false;
      for (Counter counter : counters) {
        ops.remove(Events.empty(counter));
      }
      for (int i = 0; i < counters.length; i++) {
        ops.add(Events.withData(counters[i], firstData + i, EventSet.IN));
      }
    }
  }

  public Counter counter(int i) {
    return counters[i];
  }

  public void triggerAll() {
    for (Counter counter : counters) {
      counter.trigger();
    }
  }

  public long[] counts() {
    return new long[] {counters[0].count(), counters[1].count(), counters[2].count()};
  }
}
