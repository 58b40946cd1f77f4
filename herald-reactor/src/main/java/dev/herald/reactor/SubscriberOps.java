package dev.herald.reactor;

import java.util.List;

/**
 * Adding, removing and reaching subscribers: what an {@link EventManager} offers its owner, and
 * what a {@link RemoteEndpoint} closure receives on the loop thread.
 *
 * <pre>{@code
 * SubscriberId id = ops.addSubscriber(new Ticker());  // init() has run when this returns
 * ops.eventOps(id).add(Events.of(extraFd, EventSet.IN));
 * Ticker t = ops.removeSubscriber(id);                // its fds leave the interest list
 * }</pre>
 *
 * @param <S> the subscriber type
 */
public interface SubscriberOps<S extends EventSubscriber> {
  /**
   * Registers a subscriber and calls its {@link EventSubscriber#init} before returning.
   *
   * @param subscriber the subscriber
   * @return its new id
   */
  SubscriberId addSubscriber(S subscriber);

  /**
   * Unregisters a subscriber: every fd on its watch list leaves the interest list (errors ignored)
   * and stops being dispatched, even later in the current run. The fds are not closed and no hook
   * is called.
   *
   * @param id the subscriber's id
   * @return the subscriber
   * @throws ReactorException {@link ReactorException.Kind#INVALID_ID} if unknown or already removed
   */
  S removeSubscriber(SubscriberId id);

  /**
   * The subscriber with this id.
   *
   * @param id the id
   * @return the subscriber
   * @throws ReactorException {@link ReactorException.Kind#INVALID_ID} if unknown or removed
   */
  S subscriber(SubscriberId id);

  /**
   * The interest-list operations bound to a subscriber, usable outside a callback too.
   *
   * @param id the id
   * @return the operations
   * @throws ReactorException {@link ReactorException.Kind#INVALID_ID} if unknown or removed
   */
  EventOps eventOps(SubscriberId id);

  /**
   * The ids of the registered subscribers, oldest first (not in upstream).
   *
   * @return a snapshot of the ids
   */
  List<SubscriberId> subscriberIds();

  /**
   * The fds a subscriber has added and not removed itself, in the order added (its watch list; not
   * in upstream). An fd removed through another subscriber's ops stays listed, as upstream keeps
   * it.
   *
   * @param id the id
   * @return a snapshot of the fd numbers
   * @throws ReactorException {@link ReactorException.Kind#INVALID_ID} if unknown or removed
   */
  List<Integer> watchList(SubscriberId id);
}
