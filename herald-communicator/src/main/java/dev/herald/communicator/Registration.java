package dev.herald.communicator;

import dev.herald.os.Fd;
import dev.herald.reactor.EventManager;
import dev.herald.reactor.EventOps;
import dev.herald.reactor.EventSet;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.Events;
import dev.herald.reactor.ReactorException;
import dev.herald.reactor.SubscriberId;

/**
 * A connection's fd in the communicator's epoll instance. The fd is added when the connection first
 * wants events, modified when its interest changes (output pending or not) and taken out when it
 * wants none (disabled): an epoll call only on a change, never one per round. Each registration is
 * its own reactor subscriber, because removing a subscriber always forgets its fd, even when the
 * kernel already dropped it.
 */
final class Registration {
  final Fd fd;
  final ReadyBits ready = new ReadyBits();
  private SubscriberId id;
  private EventOps ops;
  private EventSet interest = EventSet.empty();

  Registration(Fd fd) {
    this.fd = fd;
  }

  boolean isWatched() {
    return id != null;
  }

  /**
   * Brings the registration in line with {@code wanted}.
   *
   * @return null when done, else why the kernel or the reactor refused the fd
   */
  RuntimeException sync(EventManager<EventSubscriber> manager, EventSet wanted) {
    if (wanted == interest) {
      return null;
    }
    if (wanted.isEmpty()) {
      drop(manager);
      return null;
    }
    try {
      int number = fd.fd();
      if (id == null) {
        id = manager.addSubscriber(ready);
        ops = manager.eventOps(id);
        ops.add(Events.of(number, wanted));
      } else {
        ops.modify(Events.of(number, wanted));
      }
      interest = wanted;
      return null;
    } catch (ReactorException | IllegalStateException refused) {
      // IllegalStateException: the fd was closed behind the connection's back.
      drop(manager);
      return refused;
    }
  }

  /**
   * Takes the fd out of epoll (errors ignored: it may be closed already) and forgets its events.
   */
  void drop(EventManager<EventSubscriber> manager) {
    if (id != null) {
      manager.removeSubscriber(id);
      id = null;
      ops = null;
    }
    interest = EventSet.empty();
    ready.take();
  }
}
