package dev.herald.bench.reactor;

import dev.herald.reactor.EventOps;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.Events;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A subscriber whose state other threads may share, so every callback takes a lock: the Java
 * counterpart of upstream's {@code Arc<Mutex<CounterSubscriber>>} scenario.
 *
 * @param <S> the wrapped subscriber type
 */
public final class LockedSubscriber<S extends EventSubscriber> implements EventSubscriber {
  private final ReentrantLock lock = new ReentrantLock();
  private final S inner;

  /**
   * Wraps a subscriber.
   *
   * @param inner the subscriber whose calls are serialised
   */
  public LockedSubscriber(S inner) {
    this.inner = inner;
  }

  @Override
  public void init(EventOps ops) {
    lock.lock();
    try {
      inner.init(ops);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void process(Events events, EventOps ops) {
    lock.lock();
    try {
      inner.process(events, ops);
    } finally {
      lock.unlock();
    }
  }
}
