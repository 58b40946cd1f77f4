package dev.herald.ring;

import dev.herald.os.TimerFd;
import dev.herald.reactor.EventOps;
import dev.herald.reactor.EventSet;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.Events;
import java.time.Duration;

/**
 * Drives a {@link RingFollower} from a herald-reactor loop: a {@code timerfd} ticking at a fixed
 * period makes the loop call {@link RingFollower#drain} with a per-tick limit, so ring events are
 * handled on the loop thread beside every other fd, without spinning. The added latency is at most
 * one period; a tick that hits the limit leaves the rest for the next tick.
 *
 * <pre>{@code
 * try (EventManager<EventSubscriber> loop = new EventManager<>();
 *     RingSubscriber sub = new RingSubscriber(
 *         new RingFollower(ring, handler), Duration.ofMillis(1), 4096)) {
 *   loop.addSubscriber(sub);
 *   while (running) {
 *     loop.run();
 *   }
 * }
 * }</pre>
 */
public final class RingSubscriber implements EventSubscriber, AutoCloseable {
  private final RingFollower follower;
  private final Duration period;
  private final int perTick;
  private final TimerFd timer;
  private WriterState writerState = WriterState.ALIVE;

  /**
   * Creates the subscriber; its timer starts when the loop calls {@link #init}.
   *
   * @param follower the follower to drive
   * @param period the timer period
   * @param perTick the most events handled per tick
   */
  public RingSubscriber(RingFollower follower, Duration period, int perTick) {
    this.follower = follower;
    this.period = period;
    this.perTick = perTick;
    this.timer = TimerFd.create(TimerFd.Clock.MONOTONIC, TimerFd.NONBLOCK);
  }

  @Override
  public void init(EventOps ops) {
    timer.arm(period, period);
    ops.add(Events.of(timer, EventSet.IN));
  }

  @Override
  public void process(Events events, EventOps ops) {
    timer.expirations();
    int handled = follower.drain(perTick);
    if (follower.atEnd()) {
      writerState = WriterState.GONE; // a snapshot read to its end never grows
    } else if (handled > 0 || follower.reader().ring().isSnapshot()) {
      return;
    } else {
      writerState = follower.idle(); // a live ring is checked every so many idle ticks
    }
    if (writerState != WriterState.ALIVE) {
      follower.drain(Integer.MAX_VALUE); // whatever was committed before the writer went away
      ops.remove(Events.of(timer, EventSet.IN)); // nothing more will come
      timer.disarm();
    }
  }

  /**
   * The writer's state as last checked.
   *
   * @return {@link WriterState#ALIVE} until the writer is seen gone or replaced
   */
  public WriterState writerState() {
    return writerState;
  }

  /**
   * The driven follower.
   *
   * @return the follower
   */
  public RingFollower follower() {
    return follower;
  }

  /** Closes the timer. */
  @Override
  public void close() {
    timer.close();
  }
}
