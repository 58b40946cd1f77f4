package dev.herald.communicator;

import dev.herald.reactor.EventOps;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.Events;

/**
 * The reactor subscriber behind one registered fd: it only records what the kernel reported, so
 * that the communicator can call the handlers afterwards, in priority order rather than in the
 * kernel's order.
 */
final class ReadyBits implements EventSubscriber {
  private int bits;

  @Override
  public void init(EventOps ops) {
    // The communicator adds the fd itself, with the interest of the moment.
  }

  @Override
  public void process(Events events, EventOps ops) {
    bits |= events.eventSet().bits();
  }

  /** The bits recorded since the last call, cleared. */
  int take() {
    int taken = bits;
    bits = 0;
    return taken;
  }
}
