package dev.herald.reactor;

/**
 * Something that owns file descriptors and handles their events: the unit an {@link EventManager}
 * dispatches to.
 *
 * <p>Upstream Rust has two traits, {@code EventSubscriber} ({@code &self}) and {@code
 * MutEventSubscriber} ({@code &mut self}), plus wrappers ({@code Arc}, {@code Mutex}, ...) to move
 * between them. Java needs none of that: a subscriber is an ordinary object that may keep mutable
 * state, called only from the loop thread; guard state you share with other threads yourself (an
 * {@link java.util.concurrent.atomic.AtomicLong}, a lock), exactly as you would anywhere else.
 *
 * <pre>{@code
 * final class Ticker implements EventSubscriber {
 *   private final TimerFd timer = TimerFd.create(TimerFd.Clock.MONOTONIC, TimerFd.NONBLOCK);
 *
 *   public void init(EventOps ops) {
 *     timer.arm(Duration.ofSeconds(1), Duration.ofSeconds(1));
 *     ops.add(Events.of(timer, EventSet.IN));
 *   }
 *
 *   public void process(Events events, EventOps ops) {
 *     System.out.println("tick x" + timer.expirations());
 *   }
 * }
 * }</pre>
 */
public interface EventSubscriber {
  /**
   * Called once by {@link SubscriberOps#addSubscriber} before it returns: register the fds here.
   * Failures are the subscriber's own business; the subscriber stays registered either way, and so
   * does every fd it added before failing.
   *
   * @param ops the interest-list operations, bound to this subscriber
   */
  void init(EventOps ops);

  /**
   * Called once per run for each of this subscriber's fds that is ready.
   *
   * @param events the fd, its user data and the <em>ready</em> set (e.g. {@code IN | HANG_UP}); an
   *     immutable value that may be kept
   * @param ops the interest-list operations, bound to this subscriber
   */
  void process(Events events, EventOps ops);
}
