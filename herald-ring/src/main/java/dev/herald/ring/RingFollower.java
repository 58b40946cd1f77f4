package dev.herald.ring;

import dev.herald.os.TimerFd;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Follows a ring without busy-spinning a thread: each call to {@link #drain} reads what is there
 * (up to a limit) and returns; between drains the thread sleeps on a {@code timerfd} cadence
 * ({@link #follow}) or in a reactor loop (see {@link RingSubscriber}). GAPs are reported to the
 * handler and recovered from by jumping to the newest event or, with {@link FollowFrom#OLDEST}, to
 * the oldest event still held.
 *
 * <p>A snapshot is replayed from its oldest event to its {@code last_seqno}: it cannot change, so a
 * slot that does not hold its event (a reservation never committed, or one torn while the snapshot
 * was copied) is reported as a gap and skipped, and the follower stops at the end. Every recovery
 * moves the reader forward; one that would not is reported as corruption rather than repeated for
 * ever.
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

  /** The most events or gaps {@link #follow} handles before it checks whether to stop. */
  private static final int FOLLOW_BATCH = 4096;

  private final EventRing ring;
  private final EventReader reader;
  private final RingEventHandler handler;
  private final boolean resumeAtOldest;
  private final EventDescriptor descriptor = new EventDescriptor();
  private long events;
  private long gaps;
  private int idleTicks;

  /**
   * Follows from the ring's newest event (a live ring) or its oldest event (a snapshot).
   *
   * @param ring the ring
   * @param handler what to call per event
   */
  public RingFollower(EventRing ring, RingEventHandler handler) {
    this(ring, FollowFrom.NEWEST, handler);
  }

  /**
   * Follows from the newest or the oldest event, and resumes there after a gap.
   *
   * @param ring the ring
   * @param from where to start and resume (a snapshot always starts and resumes at the oldest)
   * @param handler what to call per event
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if the ring is corrupt
   */
  public RingFollower(EventRing ring, FollowFrom from, RingEventHandler handler) {
    this(startingReader(ring, from), from, handler);
  }

  private static EventReader startingReader(EventRing ring, FollowFrom from) {
    if (from == FollowFrom.NEWEST) {
      return ring.reader();
    }
    EventReader reader = new EventReader(ring, ring.mapping());
    reader.seekOldest();
    return reader;
  }

  /**
   * Follows from wherever {@code reader} stands; after a gap, a live ring's follower resumes at the
   * newest event, a snapshot's at the next event it holds.
   *
   * @param reader the reader (owned by the follower's thread from now on)
   * @param handler what to call per event
   */
  public RingFollower(EventReader reader, RingEventHandler handler) {
    this(reader, FollowFrom.NEWEST, handler);
  }

  private RingFollower(EventReader reader, FollowFrom from, RingEventHandler handler) {
    this.ring = reader.ring();
    this.reader = reader;
    this.handler = handler;
    this.resumeAtOldest = from == FollowFrom.OLDEST || ring.isSnapshot();
  }

  /**
   * Reads and hands over up to {@code limit} events; never blocks. Gaps count towards the limit, so
   * a call always returns.
   *
   * @param limit the most events (and gaps) to handle in this call (keeps a shared loop responsive)
   * @return the number of events handled; 0 when nothing new was there
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if the ring holds impossible
   *     descriptors, or {@link RingException.Kind#TRUNCATED} if the file shrank under the mapping
   */
  public int drain(int limit) {
    int n = 0;
    for (int steps = 0; steps < limit; steps++) {
      switch (reader.poll(descriptor)) {
        case EVENT -> {
          n++;
          handler.onEvent(ring, descriptor);
        }
        case NOT_READY -> {
          if (!ring.isSnapshot() || atEnd()) {
            events += n;
            return n;
          }
          recover(); // a hole in a snapshot: skip to the next event it holds
        }
        case GAP -> recover();
      }
    }
    events += n;
    return n;
  }

  /** Reports the gap at the reader's position and moves forward past it. */
  private void recover() {
    long lost = reader.nextSeqno();
    gaps++;
    handler.onGap(lost, ring.lastSeqno());
    if (resumeAtOldest) {
      reader.seekOldest();
    } else {
      reader.reset();
    }
    if (Long.compareUnsigned(reader.nextSeqno(), lost) <= 0) {
      // A writer that lapped the reader has published newer events, so a recovery always lands
      // further on; landing here again means the descriptors contradict each other.
      throw ring.corrupt(
          "the reader lost event "
              + Long.toUnsignedString(lost)
              + " but the ring holds nothing newer to resume at");
    }
  }

  /**
   * Whether a snapshot has been read to its end ({@code last_seqno}); a live ring never ends.
   *
   * @return true once everything a snapshot holds has been handed over
   */
  public boolean atEnd() {
    return ring.isSnapshot() && Long.compareUnsigned(reader.nextSeqno(), ring.lastSeqno()) > 0;
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
        int handled = drain(FOLLOW_BATCH);
        if (atEnd()) {
          return WriterState.GONE; // a snapshot never grows
        }
        if (handled > 0 || ring.isSnapshot()) {
          continue;
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
