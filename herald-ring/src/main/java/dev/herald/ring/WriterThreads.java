package dev.herald.ring;

/**
 * How many threads record into one {@link RingWriter}. Both modes write the same bytes in the same
 * order and publish them with the same release stores; they differ only in how the writer takes a
 * sequence number and payload space from the header's control block.
 *
 * <pre>{@code
 * try (RingWriter writer =
 *     RingWriter.create(path, ContentType.TEST, RingSize.ofShifts(16, 27), WriterThreads.CONFINED)) {
 *   Reservation r = writer.newReservation();
 *   writer.reserve(r, TestEventType.TEST_COUNTER.code(), TestCounter.SIZE).commit();
 * }
 * }</pre>
 */
public enum WriterThreads {
  /**
   * Any number of threads record lock-free, as upstream's recorder does: each reservation takes its
   * sequence number and payload space with two atomic fetch-adds on the shared control line, and a
   * writer moves the payload window with one compare-and-set.
   */
  SHARED,

  /**
   * One thread records: the first that reserves an event owns the writer, and any other thread gets
   * a {@link WrongThreadException}. The writer holds the ring's exclusive {@code flock}, so no
   * other process writes either; with one writer in all, the sequence number, payload cursor and
   * window are kept in the writer and stored to the control block with plain (relaxed) stores
   * instead of lock-prefixed read-modify-writes. Readers see the same values, in the same order, as
   * from a {@link #SHARED} writer.
   */
  CONFINED
}
