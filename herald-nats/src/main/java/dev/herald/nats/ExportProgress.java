package dev.herald.nats;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an exporter knows to be stored in its stream. JetStream stores a ring's messages in order
 * (each expects the stream's last sequence), so every sequence number from the exporter's start up
 * to the highest one acknowledged is stored, as an event or inside a gap marker. Counting from that
 * position rather than from acknowledgements keeps the counts right when the acknowledgement of a
 * stored message is lost: a later acknowledgement, or the stream itself after a resync, proves it.
 *
 * <p>The exporter's thread calls {@link #begin}, {@link #gapPublished} and {@link #resynced};
 * acknowledgements arrive on the client's threads; {@link #events} and {@link #gapMarkers} may be
 * asked from any thread.
 */
final class ExportProgress {
  private final AtomicLong storedThrough = new AtomicLong();
  private volatile long start;
  private volatile boolean begun;

  /** Published gap markers not yet known to be stored, oldest first: {last seqno, event count}. */
  private final ArrayDeque<long[]> gaps = new ArrayDeque<>();

  private long storedGapMarkers;
  private long storedGapEvents;

  /** Whether {@link #begin} was called. */
  boolean begun() {
    return begun;
  }

  /**
   * The position before this exporter's first event: the stream's end for this ring, or before the
   * start.
   */
  void begin(long position) {
    start = position;
    storedThrough.set(position);
    begun = true;
  }

  /** A message covering sequence numbers up to {@code lastSeqno} was acknowledged. */
  void acknowledged(long lastSeqno) {
    storedThrough.accumulateAndGet(lastSeqno, Math::max);
  }

  /** A gap marker for {@code count} events ending at {@code last} was published. */
  synchronized void gapPublished(long last, long count) {
    gaps.addLast(new long[] {last, count});
  }

  /**
   * The stream says it holds this ring's messages through {@code position}; nothing is in flight.
   * Markers published beyond it were not stored and are forgotten (the exporter publishes again
   * from there).
   */
  synchronized void resynced(long position) {
    fold(position);
    while (!gaps.isEmpty() && gaps.peekLast()[0] > position) {
      gaps.pollLast();
    }
    storedThrough.set(Math.max(position, start));
  }

  /** The highest sequence number known to be stored. */
  long storedThrough() {
    return storedThrough.get();
  }

  /** Events stored: every position since the start, less those inside stored gap markers. */
  synchronized long events() {
    long through = storedThrough.get();
    fold(through);
    return Math.max(0, through - start - storedGapEvents);
  }

  /** Gap markers stored. */
  synchronized long gapMarkers() {
    fold(storedThrough.get());
    return storedGapMarkers;
  }

  /** Counts the markers at or below {@code through} as stored. */
  private void fold(long through) {
    while (!gaps.isEmpty() && gaps.peekFirst()[0] <= through) {
      long[] gap = gaps.pollFirst();
      storedGapMarkers++;
      storedGapEvents += gap[1];
    }
  }
}
