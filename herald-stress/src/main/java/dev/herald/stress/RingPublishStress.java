package dev.herald.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.PollResult;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The ring's publication protocol: a writer reserves, fills and commits an event whose payload is
 * eight copies of one number, while a reader polls. An event the reader sees must be whole: its
 * descriptor committed after its payload (release/acquire on the sequence number), and its payload
 * never a mix of two events once the validity check passes.
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "nothing new yet")
@Outcome(id = "1", expect = ACCEPTABLE, desc = "a whole event")
@Outcome(id = "3", expect = ACCEPTABLE_INTERESTING, desc = "the reader fell behind: gap")
@Outcome(id = "4", expect = ACCEPTABLE_INTERESTING, desc = "payload overwritten while read")
@Outcome(id = "2", expect = FORBIDDEN, desc = "a torn event: the payload is not one event's")
@State
public class RingPublishStress {
  private static final int LONGS = 8;
  private static final RingWriter WRITER;
  private static final Reservation RESERVATION;
  private static final EventRing RING;
  private static final EventReader READER;
  private static final EventDescriptor DESCRIPTOR = new EventDescriptor();

  static {
    try {
      Path dir = Files.createTempDirectory("herald-stress");
      Path file = dir.resolve("ring");
      WRITER =
          RingWriter.create(
              file, ContentType.TEST, RingSize.ofShifts(RingSize.MIN_DESCRIPTOR_SHIFT, 27));
      RESERVATION = WRITER.newReservation();
      RING = EventRing.open(file, ContentType.TEST);
      READER = RING.reader();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    RING.close();
                    WRITER.close(); // unlinks the ring file
                    dir.toFile().delete();
                  }));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long next;

  /** Each state writes one event. */
  public RingPublishStress() {}

  /** The writer: always the same thread for a given run, but the writer is shared-mode anyway. */
  @Actor
  public void writer() {
    long value = ++next;
    WRITER.reserve(RESERVATION, TestEventType.TEST_COUNTER.code(), LONGS * 8L);
    for (int i = 0; i < LONGS; i++) {
      RESERVATION.putLong(i * 8L, value);
    }
    RESERVATION.commit();
  }

  /**
   * The reader: polls the next event and checks that its payload is one event's.
   *
   * @param r 0 none, 1 whole, 2 torn, 3 gap, 4 expired while read
   */
  @Actor
  public void reader(I_Result r) {
    PollResult result = READER.poll(DESCRIPTOR);
    switch (result) {
      case NOT_READY -> r.r1 = 0;
      case GAP -> {
        READER.reset();
        r.r1 = 3;
      }
      case EVENT -> {
        MemorySegment payload = RING.payload(DESCRIPTOR);
        long first = payload.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        boolean same = true;
        for (int i = 1; i < LONGS; i++) {
          same &= payload.get(ValueLayout.JAVA_LONG_UNALIGNED, i * 8L) == first;
        }
        if (!RING.payloadValid(DESCRIPTOR)) {
          r.r1 = 4;
        } else {
          r.r1 = same && first != 0 ? 1 : 2;
        }
      }
    }
  }
}
