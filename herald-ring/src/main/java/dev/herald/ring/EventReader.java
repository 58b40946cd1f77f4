package dev.herald.ring;

import static dev.herald.ring.RingLayout.ATOMIC_LONG;
import static dev.herald.ring.RingLayout.DESCRIPTOR_SHIFT;
import static dev.herald.ring.RingLayout.DESC_SEQNO;
import static dev.herald.ring.RingLayout.HDR_LAST_SEQNO;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One thread's position in an {@link EventRing} ({@code monad_event_iterator}): it follows the
 * writers by sequence number, never writes to shared memory, and detects on its own when it has
 * been lapped. Not thread-safe: give each reading thread its own reader.
 *
 * <pre>{@code
 * EventReader reader = ring.reader(); // starts at the newest fully written event
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

  private final EventRing ring;
  private final MemorySegment descriptors;
  private final MemorySegment header;
  private final long mask;
  private long readLastSeqno;

  EventReader(EventRing ring, RingMapping mapping) {
    this.ring = ring;
    this.descriptors = mapping.descriptors;
    this.header = mapping.headerPage;
    this.mask = mapping.descriptorMask;
  }

  /**
   * Copies the next event into {@code out} and moves past it, or says why it cannot.
   *
   * @param out where the descriptor goes (written only for {@link PollResult#EVENT})
   * @return {@link PollResult#EVENT}, {@link PollResult#NOT_READY} or {@link PollResult#GAP}
   * @throws RingException of kind {@link RingException.Kind#TRUNCATED} if the file was truncated
   *     under the mapping
   */
  public PollResult poll(EventDescriptor out) {
    long last = readLastSeqno;
    long slot = (last & mask) << DESCRIPTOR_SHIFT;
    try {
      // Acquire: the descriptor fields written before the writer's release store are visible.
      long seqno = (long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO);
      if (seqno == last + 1) {
        out.copyFrom(descriptors, slot, seqno);
        // Keep the field reads above from moving below the re-check of the sequence number.
        VarHandle.loadLoadFence();
        long again = (long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO);
        if (again != seqno) {
          return PollResult.GAP; // overwritten while we copied it
        }
        readLastSeqno = seqno;
        return PollResult.EVENT;
      }
      if (Long.compareUnsigned(seqno, last) < 0) {
        return PollResult.NOT_READY; // the old event is still there, or 0: being written
      }
      return seqno == last && seqno == 0 ? PollResult.NOT_READY : PollResult.GAP;
    } catch (InternalError e) {
      throw ring.truncatedUnderMapping(e);
    }
  }

  /**
   * Moves to the newest fully written event (upstream's "sync wait"): the next {@link #poll}
   * returns it. Slots a writer reserved but has not committed are skipped after a short spin.
   */
  public void reset() {
    try {
      long w = (long) ATOMIC_LONG.getAcquire(header, HDR_LAST_SEQNO);
      while (w > 0) {
        long slot = ((w - 1) & mask) << DESCRIPTOR_SHIFT;
        boolean committed = false;
        for (int i = 0; i < SYNC_WAIT_SPINS; i++) {
          if ((long) ATOMIC_LONG.getAcquire(descriptors, slot + DESC_SEQNO) == w) {
            committed = true;
            break;
          }
          Thread.onSpinWait();
        }
        if (committed) {
          break;
        }
        w--;
      }
      readLastSeqno = w == 0 ? 0 : w - 1;
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
