package dev.herald.ring.exec;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.PollResult;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.UpstreamData;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process for the cross-process EXEC test: creates an EXEC ring (2^18 descriptors, so the
 * whole snapshot fits), prints {@code created}, replays every event of the upstream 30-block
 * snapshot into it (type, flow tags, payload), prints {@code done}, then waits until its standard
 * input closes before closing the writer.
 */
public final class ExecReplayWriterProcess {
  private ExecReplayWriterProcess() {}

  /**
   * Entry point.
   *
   * @param args the ring path
   * @throws IOException if stdin fails
   */
  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[0]);
    try (EventRing snapshot =
            EventRing.openSnapshot(
                UpstreamData.emn30bDir().resolve("snapshot.zst"), ContentType.EXEC);
        RingWriter writer = RingWriter.create(path, ContentType.EXEC, RingSize.ofShifts(18, 27))) {
      System.out.println("created");
      System.out.flush();
      Reservation r = writer.newReservation();
      EventReader reader = snapshot.reader();
      EventDescriptor d = new EventDescriptor();
      while (reader.poll(d) == PollResult.EVENT) {
        writer.reserve(r, d.eventType(), d.payloadSize());
        for (int i = 0; i < 3; i++) {
          r.contentExt(i, d.contentExt(i));
        }
        r.putBytes(0, snapshot.payload(d)).commit();
        if ((d.seqno() & 1023) == 0) {
          Thread.yield(); // let the reader interleave on a 2-core machine
        }
      }
      System.out.println("done");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
