package dev.herald.ring;

import static dev.herald.ring.RingLayout.ATOMIC_LONG;
import static dev.herald.ring.RingLayout.DESCRIPTOR_SHIFT;
import static dev.herald.ring.RingLayout.DESC_SEQNO;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One thread's position in an {@link EventRing} ({@code monad_event_iterator}): it follows the
 * writers by sequence number, never writes to shared memory, and detects on its own when it has
 * been lapped. Not thread-safe: give each reading thread its own reader.
 *
 * <pre>{@code
 * EventReader reader = ring.reader(); // a live ring's newest fully written event
 * EventDescriptor d = new EventDescriptor();
 * while (running) {
 *   switch (reader.poll(d)) {
 *     case EVENT -> handle(d);
 *     case NOT_READY -> Thread.onSpinWait();
 *     case GAP -> reader.reset();
 *   }
 * }
 * }</pre>
 */
public final class EventReader {
  /** How long {@link #reset()} waits for one slot's writer to commit, in spin iterations. */
  private static final int SYNC_WAIT_SPINS = 100;

  /**
   * The spins one {@link #reset()} may spend in all, so that slots that never match cannot stall
   * it.
   */
  private static final int SYNC_WAIT_BUDGET = 64 * SYNC_WAIT_SPINS;

  private final EventRing ring;
  private final MemorySegment descriptors;
  private final long mask;
  private final long capacity;
  private final boolean snapshot;
  private final long payloadBufSize;
  private final EventDescriptor candidate = new EventDescriptor();
  private long readLastSeqno;

  /** {@code next_payload_byte} as last read: every event read so far ends at or before it. */
  private long allocatedEnd;

  EventReader(EventRing ring, RingMapping mapping) {
    this.ring = ring;
    this.descriptors = mapping.descriptors;
    this.mask = mapping.descriptorMask;
    this.capacity = mapping.descriptorMask + 1;
    this.snapshot = ring.isSnapshot();
    this.payloadBufSize = mapping.header.size().payloadBufSize();
  }

  /**
   * Copies the next event into {@code out} and moves past it, or says why it cannot.
   *
   * <p>What the slot holds is checked against what a writer can leave there: a sequence number that
   * belongs in another slot, one the writers have not allocated, or payload fields no writer
   * produces make the ring corrupt, rather than an endless series of gaps.
   *
   * @param out where the descriptor goes (written only for {@link PollResult#EVENT})
   * @return {@link PollResult#EVENT}, {@link PollResult#NOT_READY} or {@link PollResult#GAP}
   * @throws RingException of kind {@link RingException.Kind#TRUNCATED} if the file was truncated
   *     under the mapping, or {@link RingException.Kind#CORRUPT} for an impossible descriptor
   */
  public PollResult poll(EventDescriptor out) {
    // The common case in a few loads and compares; everything else is in notNext. Keeping this
    // method small lets the JIT inline it into the caller's loop (a large compiled body is called).
    long expected = readLastSeqno + 1;
    long slot = ((expected - 1) & mask) << DESCRIPTOR_SHIFT;
    try {
      // Acquire: the descriptor fields written before the writer's release store are visible.
      long seqno = (long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO);
      if (seqno != expected) {
        return notNext(expected, seqno);
      }
      out.copyFrom(descriptors, slot, seqno);
      // Keep the field reads above from moving below the re-check of the sequence number.
      VarHandle.loadLoadFence();
      if ((long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO) != seqno) {
        return PollResult.GAP; // overwritten while we copied it
      }
    } catch (InternalError e) {
      throw ring.truncatedUnderMapping(e);
    }
    if (snapshot) {
      allocatedEnd = ring.checkPayloadFields(out, allocatedEnd);
    } else if (((out.payloadBufOffset() & (RingLayout.PAYLOAD_ALIGN - 1)) != 0)
        | out.payloadSize() > payloadBufSize) {
      // A live reader that keeps up would re-read next_payload_byte, the writers' busiest cache
      // line, for every event: only the checks that need no shared state run here.
      ring.checkPayloadShape(out); // throws: what is wrong, in words
    }
    readLastSeqno = expected;
    return PollResult.EVENT;
  }

  /** Why the slot of {@code expected} does not hold it: not written yet, lapped, or corrupt. */
  private PollResult notNext(long expected, long seqno) {
    checkSlot(expected, seqno);
    if (seqno == 0 || Long.compareUnsigned(seqno, expected - 1) < 0) {
      return PollResult.NOT_READY; // 0: being written; smaller: the slot's previous event
    }
    // Lapped: the slot holds a newer event, which a writer must have allocated (its fetch-add
    // comes before its release store of the slot, which the caller's acquire load has seen).
    long newest = ring.lastSeqno();
    if (Long.compareUnsigned(seqno, newest) > 0) {
      throw ring.corrupt(
          "descriptor slot "
              + ((expected - 1) & mask)
              + " holds seqno "
              + Long.toUnsignedString(seqno)
              + ", beyond last_seqno "
              + Long.toUnsignedString(newest)
              + ": no writer allocated it");
    }
    return PollResult.GAP;
  }

  /** A non-zero sequence number in the slot of {@code expected} must belong to that slot. */
  private void checkSlot(long expected, long seqno) {
    long index = (expected - 1) & mask;
    if (seqno != 0 && ((seqno - 1) & mask) != index) {
      throw ring.corrupt(
          "descriptor slot "
              + index
              + " holds seqno "
              + Long.toUnsignedString(seqno)
              + ", which belongs in slot "
              + ((seqno - 1) & mask));
    }
  }

  /** The oldest sequence number a ring whose newest allocated one is {@code newest} can hold. */
  private long oldestInReach(long newest) {
    return Long.compareUnsigned(newest, capacity) > 0 ? newest - capacity + 1 : 1;
  }

  /**
   * None of the {@code capacity} newest sequence numbers is in its slot and no newer event overtook
   * them: the control block claims events the descriptors never held. (A slot reads 0 while its
   * event is being written, but a whole array of reservations in flight at once is not a writer.)
   */
  private RingException aheadOfEveryDescriptor(long newest) {
    return ring.corrupt(
        "last_seqno "
            + Long.toUnsignedString(newest)
            + " is ahead of every descriptor: none of the "
            + capacity
            + " newest sequence numbers is in its slot");
  }

  /**
   * Moves to the newest fully written event (upstream's "sync wait"): the next {@link #poll}
   * returns it. Slots a writer reserved but has not committed are skipped after a short spin. Only
   * the sequence numbers the descriptor array can still hold are searched; if none of them is
   * committed, the reader waits at the oldest of them.
   *
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if a searched slot holds
   *     another slot's sequence number, or {@code last_seqno} is ahead of every descriptor
   */
  public void reset() {
    try {
      long newest = ring.lastSeqno();
      long oldest = oldestInReach(newest);
      int spins = ring.isSnapshot() ? 0 : SYNC_WAIT_BUDGET; // a snapshot never changes
      boolean overtaken = false;
      for (long w = newest; w != 0 && Long.compareUnsigned(w, oldest) >= 0; w--) {
        long slot = ((w - 1) & mask) << DESCRIPTOR_SHIFT;
        long seqno = (long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO);
        for (int i = 0; seqno != w && i < SYNC_WAIT_SPINS && spins > 0; i++, spins--) {
          Thread.onSpinWait();
          seqno = (long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO);
        }
        if (seqno == w) {
          readLastSeqno = w - 1;
          return;
        }
        checkSlot(w, seqno);
        overtaken |= Long.compareUnsigned(seqno, w) > 0;
      }
      if (!overtaken && Long.compareUnsigned(newest, capacity) >= 0) {
        throw aheadOfEveryDescriptor(newest);
      }
      readLastSeqno = oldest - 1;
    } catch (InternalError e) {
      throw ring.truncatedUnderMapping(e);
    }
  }

  /**
   * Moves forward to the oldest event the ring still holds: the first sequence number, not before
   * the reader's position, whose descriptor is in its slot and whose payload is still inside the
   * buffer window. The next {@link #poll} returns it. This is where a replay "from the start"
   * begins, and where a reader that must lose as few events as possible resumes after a gap. Never
   * moves backward, so repeated calls always make progress.
   *
   * <pre>{@code
   * EventReader reader = ring.reader();
   * reader.seekOldest(); // everything the ring still holds, oldest first
   * }</pre>
   *
   * @return true if such an event is there; false if the ring holds none (the reader then waits for
   *     the next event to be written)
   * @throws RingException of kind {@link RingException.Kind#CORRUPT} if a searched slot holds
   *     another slot's sequence number, or {@code last_seqno} is ahead of every descriptor
   */
  public boolean seekOldest() {
    try {
      long newest = ring.lastSeqno();
      long oldest = oldestInReach(newest);
      long from = readLastSeqno + 1;
      if (Long.compareUnsigned(from, oldest) < 0) {
        from = oldest;
      }
      boolean seen = false; // held (payload expired) or overtaken: the descriptors are in reach
      for (long s = from; s != 0 && Long.compareUnsigned(s, newest) <= 0; s++) {
        long slot = ((s - 1) & mask) << DESCRIPTOR_SHIFT;
        long seqno = (long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO);
        if (seqno == s && ring.tryCopy(s, candidate) && ring.payloadValid(candidate)) {
          readLastSeqno = s - 1;
          return true;
        }
        checkSlot(s, seqno);
        seen |= seqno != 0 && Long.compareUnsigned(seqno, s) >= 0;
      }
      if (!seen && from == oldest && Long.compareUnsigned(newest, capacity) >= 0) {
        throw aheadOfEveryDescriptor(newest);
      }
      if (Long.compareUnsigned(newest, readLastSeqno) > 0) {
        readLastSeqno = newest;
      }
      return false;
    } catch (InternalError e) {
      throw ring.truncatedUnderMapping(e);
    }
  }

  /**
   * Positions the reader so that the next {@link #poll} returns {@code seqno} (not checked).
   *
   * @param seqno the next sequence number to read, at least 1
   */
  public void setSeqno(long seqno) {
    readLastSeqno = seqno - 1;
  }

  /**
   * The last sequence number this reader consumed.
   *
   * @return the sequence number, 0 before the first event
   */
  public long readLastSeqno() {
    return readLastSeqno;
  }

  /**
   * The sequence number the next {@link #poll} asks for.
   *
   * @return {@code readLastSeqno() + 1}
   */
  public long nextSeqno() {
    return readLastSeqno + 1;
  }

  /**
   * How far behind the writers this reader is: allocated sequence numbers not yet consumed.
   *
   * @return {@code last_seqno - readLastSeqno()}, or 0 if ahead
   */
  public long lag() {
    return Math.max(0, ring.lastSeqno() - readLastSeqno);
  }

  /**
   * The ring this reader follows.
   *
   * @return the ring
   */
  public EventRing ring() {
    return ring;
  }
}
