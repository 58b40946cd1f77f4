package dev.herald.ring;

import java.nio.file.Path;

/**
 * A test fixture: a live TEST ring of the smallest size that has wrapped five times, with payloads
 * averaging about 2 KiB, so the oldest descriptors it still holds point at expired payloads. Event
 * {@code n} is a TEST_VLT whose payload starts with {@code n} and ends with {@code ~n}.
 */
public final class WrappedRing {
  /** Descriptor capacity of the ring. */
  public static final long CAPACITY = TestRings.SMALLEST.descriptorCapacity();

  /** Events written: the last sequence number. */
  public static final long EVENTS = 5 * CAPACITY + 321;

  private WrappedRing() {}

  /**
   * The payload size of event {@code seqno}.
   *
   * @param seqno the sequence number
   * @return 16 to 4015 bytes
   */
  public static long sizeOf(long seqno) {
    return 16 + (seqno * 1031) % 4000;
  }

  /**
   * Creates the ring {@code dir/name} and writes {@link #EVENTS} events; the writer stays open.
   *
   * @param dir the directory
   * @param name the file name
   * @return the writer, idle
   */
  public static RingWriter create(Path dir, String name) {
    RingWriter writer = RingWriter.create(dir.resolve(name), ContentType.TEST, TestRings.SMALLEST);
    Reservation r = writer.newReservation();
    for (long n = 1; n <= EVENTS; n++) {
      long size = sizeOf(n);
      writer.reserve(r, TestEventType.TEST_VLT.code(), size).putLong(0, n).putLong(size - 8, ~n);
      r.commit();
    }
    return writer;
  }

  /**
   * The oldest event whose descriptor and payload the ring still holds, found the slow way.
   *
   * @param ring the ring or its snapshot
   * @return the sequence number
   */
  public static long oldestHeld(EventRing ring) {
    EventDescriptor d = new EventDescriptor();
    for (long s = ring.lastSeqno() - CAPACITY + 1; s <= ring.lastSeqno(); s++) {
      if (ring.tryCopy(s, d) && ring.payloadValid(d)) {
        return s;
      }
    }
    throw new AssertionError("the ring holds nothing");
  }
}
