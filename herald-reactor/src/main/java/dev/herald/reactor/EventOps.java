package dev.herald.reactor;

import java.util.Optional;

/**
 * One subscriber's view of the manager's interest list: add, modify and remove fds. Every callback
 * receives the one bound to its subscriber; {@link SubscriberOps#eventOps} gives it outside
 * callbacks.
 *
 * <p>Ownership is checked on {@link #add} only: an fd belongs to the subscriber that added it, and
 * nobody can add it again until it is removed. {@link #modify} and {@link #remove} act on any
 * registered fd, as upstream does.
 *
 * <pre>{@code
 * public void process(Events events, EventOps ops) {
 *   if (events.eventSet().contains(EventSet.HANG_UP)) {
 *     ops.remove(events);                     // not dispatched again, not even later in this run
 *   } else if (wouldBlock) {
 *     ops.addFlags(events.fd(), EventSet.OUT); // keep IN, add OUT
 *   }
 * }
 * }</pre>
 */
public final class EventOps {
  private final EventManager<?> manager;
  private final SubscriberId id;

  EventOps(EventManager<?> manager, SubscriberId id) {
    this.manager = manager;
    this.id = id;
  }

  /**
   * Registers an fd for this subscriber ({@code EPOLL_CTL_ADD}) with the set and data of {@code
   * events}.
   *
   * @param events the fd, data and wanted set
   * @throws ReactorException {@link ReactorException.Kind#FD_ALREADY_REGISTERED} if any subscriber
   *     of this manager registered the fd; {@link ReactorException.Kind#EPOLL} for kernel errors
   *     (EBADF closed fd, EPERM regular file, EEXIST)
   */
  public void add(Events events) {
    manager.addFd(id, events);
  }

  /**
   * Replaces the set and data of a registered fd ({@code EPOLL_CTL_MOD}).
   *
   * @param events the fd, new data and new set
   * @throws ReactorException {@link ReactorException.Kind#EPOLL} with ENOENT if not registered
   */
  public void modify(Events events) {
    manager.modifyFd(events);
  }

  /**
   * Unregisters an fd ({@code EPOLL_CTL_DEL}); the set and data of {@code events} are ignored.
   * Pending events of the fd in the current run are cancelled.
   *
   * @param events the fd (e.g. {@code Events.empty(fd)})
   * @throws ReactorException {@link ReactorException.Kind#EPOLL} with ENOENT if not registered,
   *     EBADF if closed
   */
  public void remove(Events events) {
    manager.removeFd(id, events.fd());
  }

  /**
   * Reads back what an fd is registered with (upstream issue #53).
   *
   * @param fd the fd number
   * @return its registered fd, data and set, or empty if no subscriber registered it
   */
  public Optional<Events> interest(int fd) {
    return Optional.ofNullable(manager.interest(fd));
  }

  /**
   * Adds flags to a registered fd's set, keeping its data (upstream issue #53).
   *
   * @param fd the fd number
   * @param flags the flags to add
   * @throws ReactorException {@link ReactorException.Kind#EPOLL} with ENOENT if not registered
   */
  public void addFlags(int fd, EventSet flags) {
    Events now = manager.interestOrNotRegistered(fd);
    manager.modifyFd(new Events(fd, now.data(), now.eventSet().union(flags)));
  }

  /**
   * Removes flags from a registered fd's set, keeping its data (upstream issue #53).
   *
   * @param fd the fd number
   * @param flags the flags to remove
   * @throws ReactorException {@link ReactorException.Kind#EPOLL} with ENOENT if not registered
   */
  public void removeFlags(int fd, EventSet flags) {
    Events now = manager.interestOrNotRegistered(fd);
    manager.modifyFd(new Events(fd, now.data(), now.eventSet().minus(flags)));
  }

  /**
   * The subscriber these operations act for.
   *
   * @return its id
   */
  public SubscriberId subscriberId() {
    return id;
  }

  @Override
  public String toString() {
    return "EventOps(" + id + ")";
  }
}
