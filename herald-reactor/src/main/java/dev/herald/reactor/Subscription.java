package dev.herald.reactor;

import java.util.ArrayList;
import java.util.List;

/** A registered subscriber: its id, the object, its bound {@link EventOps} and its watch list. */
final class Subscription<S extends EventSubscriber> {
  final SubscriberId id;
  final S subscriber;
  final EventOps ops;

  /** The fds this subscriber added, in order; may hold fds since removed by someone else. */
  final List<Integer> watchList = new ArrayList<>();

  Subscription(SubscriberId id, S subscriber, EventManager<S> manager) {
    this.id = id;
    this.subscriber = subscriber;
    this.ops = new EventOps(manager, id);
  }
}
