package dev.herald.nats;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The places of a {@link PublishWindow}, one per publish awaiting its acknowledgement, and who
 * completes each. Publishes are numbered from 0 and publish {@code id} takes place {@code id %
 * size}. One publishing thread fills places and claims the overdue ones; the acknowledging thread
 * claims the one an acknowledgement names. A place is claimed by a compare-and-set of its id to
 * free, so exactly one of an acknowledgement and a timeout completes each publish; the claimer
 * reports the outcome, then {@link #release}s the place.
 *
 * <pre>{@code
 * long id = slots.fill(subject, seqno, recordNanos, System.nanoTime()); // publisher
 * if (slots.holds(id)) {                                                 // acknowledger
 *   long seqno = slots.key(id);
 *   if (slots.claim(id)) { report(seqno); slots.release(); }
 * }
 * }</pre>
 */
final class PublishSlots {
  /** No publish: a place is free, nothing is overdue, or the next place is still held. */
  static final long NONE = -1;

  private final int size;

  /**
   * Per place, the id of the publish in it, or {@link #NONE}. The publisher writes a place's plain
   * fields before the id (a volatile write), so whoever reads the id (a volatile read) sees them.
   */
  private final AtomicLongArray ids;

  private final String[] subjects;
  private final long[] keys;
  private final long[] notes;
  private final long[] sentNanos;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** The publisher while it waits for {@link #inFlight} to fall to {@link #wakeAt}, else null. */
  private volatile Thread waiter;

  private volatile int wakeAt;

  // Owned by the publishing thread.
  private long nextId;
  private long oldest;

  /** {@code size} places, all free; 36 bytes each. */
  PublishSlots(int size) {
    this.size = size;
    this.ids = new AtomicLongArray(size);
    for (int i = 0; i < size; i++) {
      ids.set(i, NONE);
    }
    this.subjects = new String[size];
    this.keys = new long[size];
    this.notes = new long[size];
    this.sentNanos = new long[size];
  }

  int size() {
    return size;
  }

  /** Publishes filled and not yet released; safe from any thread. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Publisher: takes the next place for a publish.
   *
   * @return the publish's id, or {@link #NONE} while an earlier publish still holds that place
   *     (later ones were answered first)
   */
  long fill(String subject, long key, long note, long sent) {
    int place = placeOf(nextId);
    if (ids.get(place) != NONE) {
      return NONE;
    }
    subjects[place] = subject;
    keys[place] = key;
    notes[place] = note;
    sentNanos[place] = sent;
    long id = nextId++;
    inFlight.incrementAndGet();
    ids.set(place, id); // release: the fields above travel with the id
    return id;
  }

  /**
   * Publisher: claims the oldest publish sent at or before {@code now - timeoutNanos} and still
   * unanswered.
   *
   * @return its id, or {@link #NONE} when no publish is overdue
   */
  long claimOverdue(long now, long timeoutNanos) {
    while (oldest < nextId) {
      int place = placeOf(oldest);
      if (ids.get(place) != oldest) {
        oldest++; // answered: the place is free or holds a later publish
        continue;
      }
      if (now - sentNanos[place] < timeoutNanos) {
        return NONE;
      }
      long id = oldest++;
      if (ids.compareAndSet(place, id, NONE)) {
        return id;
      }
    }
    return NONE;
  }

  /**
   * Publisher: claims the oldest publish still unanswered, however recent.
   *
   * @return its id, or {@link #NONE} when every publish has been answered or claimed
   */
  long claimOldest() {
    while (oldest < nextId) {
      long id = oldest++;
      if (ids.compareAndSet(placeOf(id), id, NONE)) {
        return id;
      }
    }
    return NONE;
  }

  /** Whether publish {@code id} is still unanswered; read its fields after this, claim after. */
  boolean holds(long id) {
    return id >= 0 && ids.get(placeOf(id)) == id;
  }

  /**
   * The subject of publish {@code id}: valid after {@link #holds}, or after the publisher's claim.
   */
  String subject(long id) {
    return subjects[placeOf(id)];
  }

  long key(long id) {
    return keys[placeOf(id)];
  }

  long note(long id) {
    return notes[placeOf(id)];
  }

  /**
   * Completes publish {@code id} unless someone else did: the caller then reports its outcome and
   * {@link #release}s. The place may be filled again from here, so its fields are read before.
   */
  boolean claim(long id) {
    return ids.compareAndSet(placeOf(id), id, NONE);
  }

  /**
   * After a claim's outcome is reported: one publish fewer in flight; wakes the publisher if it
   * waits for this count.
   *
   * @return whether the publisher was woken
   */
  boolean release() {
    // Dekker with mustWait(): this side writes inFlight and then reads waiter, the publisher writes
    // waiter and then reads inFlight, all volatile, so at least one sees the other's write and no
    // wake-up is lost.
    int left = inFlight.decrementAndGet();
    Thread w = waiter;
    if (w != null && left <= wakeAt) {
      LockSupport.unpark(w);
      return true;
    }
    return false;
  }

  /**
   * Publisher: registers the calling thread to be woken once at most {@code target} publishes are
   * in flight, and says whether it must wait for that; {@link #stopWaiting} when done.
   */
  boolean mustWait(int target) {
    wakeAt = target;
    waiter = Thread.currentThread();
    return inFlight.get() > target;
  }

  void stopWaiting() {
    waiter = null;
  }

  private int placeOf(long id) {
    return (int) (id % size);
  }
}
