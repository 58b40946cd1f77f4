package dev.herald.ring;

import dev.herald.os.TimerFd;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Follows a ring without busy-spinning a thread: each call to {@link #drain} reads what is there
 * (up to a limit) and returns; between drains the thread sleeps on a {@code timerfd} cadence
 * ({@link #follow}) or in a reactor loop (see {@link RingSubscriber}). GAPs are reported to the
 * handler and recovered from by jumping to the newest event.
 *
 * <p>Idle strategy: readers add no load to the writer, so the only cost of polling is the reading
 * thread's own CPU. A drain that finds nothing costs one cache-line load; the timer period bounds
 * the added latency (e.g. 1 ms) while using almost no CPU when the ring is quiet. When the ring is
 * busy, a drain reads up to its limit without sleeping between events.
 *
 * <pre>{@code
 * RingFollower follower = new RingFollower(ring, (r, d) -> System.out.println(d.seqno()));
 * follower.follow(Duration.ofMillis(1), () -> running); // returns when the writer is gone
 * }</pre>
 */
public final class RingFollower {
  /** How many empty timer ticks pass between checks of the writer's liveness. */
  private static final int LIVENESS_EVERY_IDLE_TICKS = 256;

  private final EventRing ring;
  private final EventReader reader;
  private final RingEventHandler handler;
  private final EventDescriptor descriptor = new EventDescriptor();
  private long events;
  private long gaps;
  private int idleTicks;

  /**
   * Follows from the ring's newest event (a live ring) or its first event (a snapshot).
   *
   * @param ring the ring
   * @param handler what to call per event
   */
  public RingFollower(EventRing ring, RingEventHandler handler) {
    this(ring.reader(), handler);
  }

  /**
   * Follows from wherever {@code reader} stands.
   *
   * @param reader the reader (owned by the follower's thread from now on)
   * @param handler what to call per event
   */
  public RingFollower(EventReader reader, RingEventHandler handler) {
    this.ring = reader.ring();
    this.reader = reader;
    this.handler = handler;
  }

  /**
   * Reads and hands over up to {@code limit} events; never blocks.
   *
   * @param limit the most events to handle in this call (keeps a shared loop responsive)
   * @return the number of events handled; 0 when nothing new was there
   */
  public int drain(int limit) {
    int n = 0;
    while (n < limit) {
      switch (reader.poll(descriptor)) {
        case EVENT -> {
          n++;
          handler.onEvent(ring, descriptor);
        }
        case NOT_READY -> {
          events += n;
          return n;
        }
        case GAP -> {
          gaps++;
          handler.onGap(reader.nextSeqno(), ring.lastSeqno());
          reader.reset();
        }
      }
    }
    events += n;
    return n;
  }

  /**
   * What to do after a drain found nothing: every so many idle ticks, check that the file is intact
   * and its writer alive.
   *
   * @return the writer's state ({@link WriterState#ALIVE} between checks)
   * @throws RingException of kind {@link RingException.Kind#TRUNCATED} if the file shrank
   */
  public WriterState idle() {
    if (++idleTicks < LIVENESS_EVERY_IDLE_TICKS) {
      return WriterState.ALIVE;
    }
    idleTicks = 0;
    ring.checkNotTruncated();
    return RingLiveness.state(ring);
  }

  /**
   * Follows on the calling thread, waking on a {@code timerfd} every {@code period}, until {@code
   * running} says stop, the writer is gone or replaced, or (for a snapshot) the end is reached.
   *
   * @param period the timer period, e.g. 1 ms
   * @param running checked after every drain
   * @return why it stopped: {@link WriterState#ALIVE} when {@code running} said stop
   */
  public WriterState follow(Duration period, BooleanSupplier running) {
    try (TimerFd timer = TimerFd.create(TimerFd.Clock.MONOTONIC, 0)) {
      timer.arm(period, period);
      while (running.getAsBoolean()) {
        if (drain(Integer.MAX_VALUE) > 0) {
          continue;
        }
        if (ring.isSnapshot()) {
          return WriterState.GONE; // a snapshot never grows: its end is the first NOT_READY
        }
        WriterState state = idle();
        if (state != WriterState.ALIVE) {
          drain(Integer.MAX_VALUE); // whatever was committed before the writer went away
          return state;
        }
        timer.expirations(); // blocks until the next tick
      }
      return WriterState.ALIVE;
    }
  }

  /**
   * The reader this follower drives.
   *
   * @return the reader
   */
  public EventReader reader() {
    return reader;
  }

  /**
   * Events handled so far.
   *
   * @return the count
   */
  public long events() {
    return events;
  }

  /**
   * Gaps seen so far.
   *
   * @return the count
   */
  public long gaps() {
    return gaps;
  }
}
