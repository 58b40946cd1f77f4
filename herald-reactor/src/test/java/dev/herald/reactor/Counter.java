package dev.herald.reactor;

import dev.herald.os.EventFd;
import dev.herald.os.Fd;

/** An eventfd to trigger and clear, plus a count of callbacks (upstream's test {@code Counter}). */
public final class Counter implements Fd, AutoCloseable {
  /** A counter with a fresh non-blocking eventfd. */
  public Counter() {}

  private final EventFd eventFd = EventFd.create(EventFd.NONBLOCK);
  private long count;

  /** Makes the fd readable (level-triggered: until cleared). */
  public void trigger() {
    eventFd.add(1);
  }

  /** Makes the fd not readable again. */
  public void clear() {
    eventFd.take();
  }

  /** One more callback. */
  public void increment() {
    count++;
  }

  /** Callbacks so far. */
  public long count() {
    return count;
  }

  @Override
  public int fd() {
    return eventFd.fd();
  }

  @Override
  public void close() {
    eventFd.close();
  }
}
