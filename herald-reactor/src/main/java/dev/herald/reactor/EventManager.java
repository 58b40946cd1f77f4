package dev.herald.reactor;

import dev.herald.os.OsException;
import dev.herald.os.internal.Epoll;
import dev.herald.os.internal.EpollEvents;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A single-threaded epoll event loop: subscribers register fds through {@link EventOps}, and each
 * {@link #run()} waits once and calls the owner of every ready fd once, with the ready set; then it
 * runs the closures posted through the {@link #remoteEndpoint()}.
 *
 * <p>A faithful port of rust-vmm {@code event-manager} 0.4.2: the dispatch follows the kernel's
 * ready order; an fd removed during a run is not dispatched later in that run; an fd added during a
 * run is dispatched from the next; {@code run} returns the kernel's ready count (including
 * cancelled entries and the endpoint's). Dispatch allocates nothing in steady state.
 *
 * <p>Threads: the manager is single-threaded, as upstream; other threads go through the {@link
 * #remoteEndpoint()}. It may be handed from one thread to another between calls. While a thread is
 * inside it ({@link #runWithTimeout}, {@link #addSubscriber}, {@link #removeSubscriber}), another
 * thread calling one of these fails with {@link IllegalStateException} rather than corrupting it,
 * and {@link #close()} from another thread is deferred until that call returns. From inside a
 * callback or an endpoint closure, {@code run}, {@code runWithTimeout}, {@code runUntilStopped},
 * {@code close} and {@link RemoteEndpoint#callBlocking} are refused with {@link
 * IllegalStateException} (a run inside a run would reuse the ready list being dispatched).
 *
 * <pre>{@code
 * try (EventManager<EventSubscriber> manager = new EventManager<>()) {
 *   manager.addSubscriber(new Ticker());
 *   while (running) {
 *     manager.run();
 *   }
 * }
 * }</pre>
 *
 * @param <S> the subscriber type
 */
public final class EventManager<S extends EventSubscriber>
    implements SubscriberOps<S>, AutoCloseable {
  /**
   * The largest ready-list capacity: {@code INT_MAX / sizeof(struct epoll_event)}, the kernel's
   * {@code EP_MAX_EVENTS} (178,956,970 on x86_64).
   */
  public static final int MAX_READY_EVENTS_CAPACITY = EpollEvents.MAX_CAPACITY;

  private static final int DEFAULT_CAPACITY = 256;

  private final Epoll epoll;
  private final int capacity;
  private final EndpointChannel<S> channel;
  private final int endpointFd;
  private final RemoteEndpoint<S> remote;
  private final Map<SubscriberId, Subscription<S>> subscriptions = new LinkedHashMap<>();

  /** fd number to registration: a flat table, since fds are small dense numbers. */
  private FdRegistration[] byFd = new FdRegistration[64];

  private long nextId = 1;

  /** Allocated at the first run (upstream allocates eagerly, 2 GiB at the maximum capacity). */
  private EpollEvents ready;

  /** Entries of {@link #ready} filled by the current run; 0 outside dispatch. */
  private int readyCount;

  /** Set by the first {@link #close()}; the thread inside the manager, if any, closes it. */
  private volatile boolean closeRequested;

  /** Set once the epoll fd and the endpoint are closed; only by the thread inside the manager. */
  private volatile boolean closed;

  /** Creates a manager with room for 256 ready fds per run. */
  public EventManager() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * Creates a manager with room for {@code capacity} ready fds per run; further ready fds wait for
   * the next run.
   *
   * @param capacity 0 to {@link #MAX_READY_EVENTS_CAPACITY}; 0 is accepted but every run then fails
   *     with {@link ReactorException.Kind#EPOLL} EINVAL, as upstream
   * @throws ReactorException {@link ReactorException.Kind#INVALID_CAPACITY} above the maximum (or
   *     below 0), {@link ReactorException.Kind#EPOLL} or {@link ReactorException.Kind#EVENT_FD} if
   *     the kernel refuses the epoll instance or the wake-up eventfd
   */
  public EventManager(int capacity) {
    if (capacity < 0 || capacity > MAX_READY_EVENTS_CAPACITY) {
      throw ReactorException.of(ReactorException.Kind.INVALID_CAPACITY);
    }
    this.capacity = capacity;
    try {
      this.epoll = Epoll.create();
    } catch (OsException e) {
      throw ReactorException.epoll(e);
    }
    try {
      this.channel = new EndpointChannel<>();
      this.endpointFd = channel.fd();
      channel.registerWith(epoll); // closes the channel if it fails
    } catch (RuntimeException | Error e) {
      epoll.close();
      throw e;
    }
    this.remote = new RemoteEndpoint<>(channel);
  }

  /**
   * Waits for events without a time limit and dispatches them; the same as {@code
   * runWithTimeout(-1)}.
   *
   * @return the number of ready entries the kernel returned
   */
  public int run() {
    return runWithTimeout(-1);
  }

  /**
   * Waits once ({@code epoll_wait}) for at most {@code millis} and dispatches what is ready: each
   * ready fd's owner gets one {@link EventSubscriber#process} call with the ready set, in the
   * kernel's order; then the endpoint's closures run, FIFO.
   *
   * <p>An exception thrown by a subscriber leaves this run at once (the remaining ready fds are
   * reported again by the next run, as epoll is level-triggered by default). An exception thrown by
   * a fired closure leaves it once every queued closure has run (see {@link RemoteEndpoint#fire}).
   *
   * @param millis 0 to poll, negative to block, else the most milliseconds to wait
   * @return the number of entries the kernel returned (cancelled entries and the endpoint's
   *     included); 0 on timeout or when a signal interrupted the wait
   * @throws ReactorException {@link ReactorException.Kind#EPOLL} if the wait fails (EINVAL at
   *     capacity 0)
   * @throws IllegalStateException for an event on an fd that no subscriber owns, or on the
   *     endpoint's eventfd with another set than exactly {@code IN} (upstream's fatal "unreachable"
   *     errors); when closed; from inside a callback or endpoint closure of this manager; while
   *     another thread is inside it
   */
  public int runWithTimeout(int millis) {
    int count = runOnce(millis);
    if (count < 0) {
      throw closedError();
    }
    return count;
  }

  /** One run; -1 instead of the run if the manager is closed. */
  private int runOnce(int millis) {
    Thread current = Thread.currentThread();
    if (channel.inside.get() == current) {
      throw reentrant("run()");
    }
    if (!enter(current)) {
      return -1;
    }
    try {
      return dispatchOnce(millis);
    } finally {
      leave();
    }
  }

  private int dispatchOnce(int millis) {
    EpollEvents buffer = readyBuffer();
    int count;
    try {
      count = epoll.await(buffer, millis);
    } catch (OsException e) {
      throw ReactorException.epoll(e);
    }
    boolean endpointReady = false;
    readyCount = count;
    try {
      for (int i = 0; i < count; i++) {
        // Re-read each entry: a callback earlier in this run may have cancelled it.
        int mask = buffer.events(i);
        long word = buffer.data(i);
        if (mask == 0 && word == 0) {
          continue;
        }
        int fd = (int) word;
        FdRegistration registration = fd >= 0 && fd < byFd.length ? byFd[fd] : null;
        if (registration != null) {
          dispatch(registration, (int) (word >>> 32), mask);
        } else if (fd == endpointFd) {
          if (mask != Epoll.IN) {
            throw new IllegalStateException(
                "internal error: entered unreachable code: endpoint eventfd reported "
                    + EventSet.fromBits(mask));
          }
          endpointReady = true;
        } else {
          throw new IllegalStateException(
              "internal error: entered unreachable code: Received event on fd from subscriber that"
                  + " is not registered (fd "
                  + fd
                  + ")");
        }
      }
    } finally {
      readyCount = 0;
    }
    if (endpointReady) {
      channel.drain(this);
    }
    return count;
  }

  /**
   * Makes {@code current} the thread inside the manager (for an outermost call).
   *
   * @return false if the manager is closed
   * @throws IllegalStateException if another thread is inside
   */
  private boolean enter(Thread current) {
    Thread other = channel.inside.compareAndExchange(null, current);
    if (other != null) {
      if (closeRequested) {
        return false; // another thread is closing it right now
      }
      throw busy(other);
    }
    if (closeRequested) {
      leave(); // closes it, if nobody has yet
      return false;
    }
    return true;
  }

  /**
   * Leaves the manager; closes it if {@link #close()} was called meanwhile. Leaving before looking
   * at the request (both volatile) is what guarantees that a request is never missed: a closer that
   * found this thread inside had set it before looking.
   */
  private void leave() {
    channel.inside.set(null);
    if (closeRequested && channel.inside.compareAndSet(null, Thread.currentThread())) {
      try {
        closeResources();
      } finally {
        channel.inside.set(null);
      }
    }
  }

  /** Whether the calling thread enters now, for calls that may also be nested in a callback. */
  private boolean enterUnlessInside() {
    Thread current = Thread.currentThread();
    if (channel.inside.get() == current) {
      return false;
    }
    if (!enter(current)) {
      throw closedError();
    }
    return true;
  }

  private static IllegalStateException busy(Thread other) {
    return new IllegalStateException(
        "the event manager is single-threaded, and thread \""
            + other.getName()
            + "\" is inside it; reach it from other threads through its RemoteEndpoint");
  }

  /**
   * Reads the manager's tables on the thread inside it, or on any thread while none is (closed
   * included); refused while another thread is inside, whose run could be changing them.
   */
  private <T> T read(Supplier<T> reader) {
    Thread current = Thread.currentThread();
    if (channel.inside.get() == current) {
      return reader.get();
    }
    Thread other = channel.inside.compareAndExchange(null, current);
    if (other != null) {
      throw busy(other);
    }
    try {
      return reader.get();
    } finally {
      leave();
    }
  }

  private static IllegalStateException closedError() {
    return new IllegalStateException("event manager is closed");
  }

  private static IllegalStateException reentrant(String call) {
    return new IllegalStateException(
        call
            + " from inside a callback or endpoint closure of the same event manager: return from"
            + " it instead (use RemoteEndpoint.stop() to end runUntilStopped())");
  }

  @SuppressWarnings("unchecked") // every registration's owner is a Subscription<S> of this manager
  private void dispatch(FdRegistration registration, int data, int mask) {
    Subscription<S> owner = (Subscription<S>) registration.owner;
    owner.subscriber.process(registration.readyEvents(data, mask), owner.ops);
  }

  /**
   * Runs until {@link RemoteEndpoint#stop()} is called (from any thread, or from a callback), or
   * until {@link #close()} is called from another thread: the clean way to end a loop that runs on
   * its own thread (not in upstream).
   *
   * @return the number of runs made
   * @throws IllegalStateException from inside a callback or endpoint closure, or when closed
   */
  public long runUntilStopped() {
    if (channel.inside.get() == Thread.currentThread()) {
      throw reentrant("runUntilStopped()");
    }
    long runs = 0;
    while (!channel.stopRequested && runOnce(-1) >= 0) {
      runs++;
    }
    channel.stopRequested = false;
    return runs;
  }

  private EpollEvents readyBuffer() {
    EpollEvents buffer = ready;
    if (buffer == null) {
      buffer = EpollEvents.allocate(capacity);
      ready = buffer;
    }
    return buffer;
  }

  /**
   * The endpoint other threads use to reach this manager.
   *
   * @return the endpoint (the same instance each time)
   */
  public RemoteEndpoint<S> remoteEndpoint() {
    return remote;
  }

  /**
   * The ready-list capacity chosen at construction.
   *
   * @return the most ready fds one run dispatches
   */
  public int capacity() {
    return capacity;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if closed, or another thread is inside the manager
   */
  @Override
  public SubscriberId addSubscriber(S subscriber) {
    // Inside the manager while init runs, so that a blocking call from init fails fast.
    boolean entered = enterUnlessInside();
    try {
      SubscriberId id = new SubscriberId(nextId++);
      Subscription<S> subscription = new Subscription<>(id, subscriber, this);
      subscriptions.put(id, subscription);
      subscriber.init(subscription.ops);
      return id;
    } finally {
      if (entered) {
        leave();
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if closed, or another thread is inside the manager
   */
  @Override
  public S removeSubscriber(SubscriberId id) {
    boolean entered = enterUnlessInside();
    try {
      Subscription<S> subscription = subscriptions.remove(id);
      if (subscription == null) {
        throw ReactorException.of(ReactorException.Kind.INVALID_ID);
      }
      for (int fd : subscription.watchList) {
        FdRegistration registration = registration(fd);
        if (registration == null || registration.owner != subscription) {
          continue; // not ours (any more): never touch a reused number's new owner
        }
        try {
          epoll.delete(fd);
        } catch (OsException ignored) {
          // Upstream ignores it too: the fd may be closed already.
        }
        forget(fd);
      }
      return subscription.subscriber;
    } finally {
      if (entered) {
        leave();
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException while another thread is inside the manager
   */
  @Override
  public S subscriber(SubscriberId id) {
    if (channel.inside.get() == Thread.currentThread()) {
      // From a callback or closure: no guard (and no lambda) needed.
      return subscription(id).subscriber;
    }
    return read(() -> subscription(id).subscriber);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException while another thread is inside the manager
   */
  @Override
  public EventOps eventOps(SubscriberId id) {
    if (channel.inside.get() == Thread.currentThread()) {
      // From a callback or closure: no guard (and no lambda) needed.
      return subscription(id).ops;
    }
    return read(() -> subscription(id).ops);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException while another thread is inside the manager
   */
  @Override
  public List<SubscriberId> subscriberIds() {
    return read(() -> List.copyOf(subscriptions.keySet()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException while another thread is inside the manager
   */
  @Override
  public List<Integer> watchList(SubscriberId id) {
    return read(() -> List.copyOf(subscription(id).watchList));
  }

  private Subscription<S> subscription(SubscriberId id) {
    Subscription<S> subscription = subscriptions.get(id);
    if (subscription == null) {
      throw ReactorException.of(ReactorException.Kind.INVALID_ID);
    }
    return subscription;
  }

  void addFd(SubscriberId id, Events events) {
    int fd = events.fd();
    if (registration(fd) != null) {
      throw ReactorException.of(ReactorException.Kind.FD_ALREADY_REGISTERED);
    }
    Subscription<S> owner = subscription(id);
    try {
      epoll.add(fd, events.eventSet().bits(), events.epollData());
    } catch (OsException e) {
      throw ReactorException.epoll(e);
    }
    if (fd >= byFd.length) {
      byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
    }
    byFd[fd] = new FdRegistration(fd, owner, events.data(), events.eventSet());
    owner.watchList.add(fd);
  }

  void modifyFd(Events events) {
    int fd = events.fd();
    try {
      epoll.modify(fd, events.eventSet().bits(), events.epollData());
    } catch (OsException e) {
      throw ReactorException.epoll(e);
    }
    FdRegistration registration = registration(fd);
    if (registration != null) {
      registration.data = events.data();
      registration.registered = events.eventSet();
    }
  }

  void removeFd(SubscriberId caller, int fd) {
    FdRegistration registration = registration(fd);
    try {
      epoll.delete(fd);
    } catch (OsException e) {
      throw ReactorException.epoll(e);
    }
    forget(fd);
    // Upstream drops the fd from the caller's watch list only, so when one subscriber removes
    // another's fd, the owner keeps the number; once reused by a new owner, removing the old one
    // deleted the new registration. Drop it from the owner's list too.
    if (registration != null) {
      registration.owner.watchList.remove(Integer.valueOf(fd));
    }
    Subscription<S> subscription = subscriptions.get(caller);
    if (subscription != null) {
      subscription.watchList.remove(Integer.valueOf(fd));
    }
  }

  Events interest(int fd) {
    FdRegistration registration = registration(fd);
    return registration == null ? null : registration.interest();
  }

  Events interestOrNotRegistered(int fd) {
    FdRegistration registration = registration(fd);
    if (registration == null) {
      // What modify would report for an fd nobody registered.
      throw ReactorException.epoll(new OsException("epoll_ctl(MOD)", "fd " + fd, 2));
    }
    return registration.interest();
  }

  private FdRegistration registration(int fd) {
    return fd >= 0 && fd < byFd.length ? byFd[fd] : null;
  }

  /** Drops the fd from the owner table and cancels its pending entries in the current run. */
  private void forget(int fd) {
    if (fd >= 0 && fd < byFd.length) {
      byFd[fd] = null;
    }
    EpollEvents buffer = ready;
    for (int i = 0; i < readyCount; i++) {
      if ((int) buffer.data(i) == fd && (buffer.events(i) != 0 || buffer.data(i) != 0)) {
        buffer.set(i, 0, 0);
      }
    }
  }

  /**
   * Closes the epoll fd and the endpoint (later {@code fire}/{@code callBlocking} fail with {@link
   * ReactorException.Kind#CHANNEL_SEND}; later runs fail with {@link IllegalStateException}).
   * Closures posted before the close and not yet run are run first, in order, so that no posted
   * work vanishes (a blocked {@code callBlocking} gets its real answer); a fired one that throws
   * does not stop the others, and the first failure is thrown once everything is closed (by this
   * method, or for a deferred close by the run during which it happened). Subscribers' fds are not
   * closed. Calling it again does nothing.
   *
   * <p>From any thread. If another thread is inside the manager (typically blocked in {@code run}),
   * the close is deferred: this method wakes that thread and returns at once, and the resources are
   * closed when its call returns ({@link #runUntilStopped()} then returns too). To know when they
   * are closed, join the loop thread. From inside a callback or endpoint closure it is refused:
   * close once the run has returned.
   *
   * @throws IllegalStateException from inside a callback or endpoint closure of this manager
   * @throws RuntimeException the first failure of a closure run at close
   */
  @Override
  public void close() {
    Thread current = Thread.currentThread();
    if (channel.inside.get() == current) {
      throw reentrant("close()");
    }
    closeRequested = true;
    if (channel.inside.compareAndSet(null, current)) {
      try {
        closeResources();
      } finally {
        channel.inside.set(null);
      }
    } else {
      channel.kick(); // the thread inside closes it on leaving: make it leave epoll_wait
    }
  }

  /**
   * Closes everything, once; only by the thread inside the manager. Closures still queued run first
   * (with the epoll instance still open), so none vanishes; the first failure among them is thrown
   * once everything is closed.
   */
  private void closeResources() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      EndpointChannel.runAll(channel.close(), this);
    } finally {
      try {
        epoll.close();
      } finally {
        if (ready != null) {
          ready.close();
        }
      }
    }
  }

  /** The endpoint's eventfd number: in epoll, but owned by no subscriber. */
  int endpointFd() {
    return endpointFd;
  }

  /** The epoll fd number. */
  int epollFd() {
    return epoll.fd();
  }

  /** The thread inside the manager right now, or null. */
  Thread threadInside() {
    return channel.inside.get();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    subscriptions.values().forEach(s -> parts.add(s.id + "=" + s.watchList));
    return "EventManager(capacity " + capacity + ", subscribers " + parts + ")";
  }
}
