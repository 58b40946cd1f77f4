package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.PollResult;
import dev.herald.ring.UpstreamData;
import java.util.ArrayList;
import java.util.List;

/** The events of the upstream 30-block snapshot, read once per test JVM and kept as copies. */
final class SnapshotEvents {
  /** One event: descriptor fields, the raw payload and its decoding. */
  record Ev(long seqno, int type, long[] ext, byte[] payload, ExecPayload decoded) {}

  private static List<Ev> events;

  private SnapshotEvents() {}

  static synchronized List<Ev> all() {
    if (events == null) {
      List<Ev> out = new ArrayList<>();
      try (EventRing ring =
          EventRing.openSnapshot(
              UpstreamData.emn30bDir().resolve("snapshot.zst"), ContentType.EXEC)) {
        ExecDecoder decoder = new ExecDecoder();
        EventReader reader = ring.reader();
        EventDescriptor d = new EventDescriptor();
        while (reader.poll(d) == PollResult.EVENT) {
          byte[] payload = ring.copyPayload(d);
          assertNotNull(payload);
          out.add(
              new Ev(
                  d.seqno(),
                  d.eventType(),
                  new long[] {d.contentExt(0), d.contentExt(1), d.contentExt(2)},
                  payload,
                  decoder.decode(ring, d)));
        }
      }
      events = List.copyOf(out);
    }
    return events;
  }

  /** What an assembler produced. */
  record Output(List<BlockUpdate> updates, List<BlockDrop> drops) implements BlockSink {
    Output() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    @Override
    public void update(BlockUpdate update) {
      updates.add(update);
    }

    @Override
    public void dropped(BlockDrop drop) {
      drops.add(drop);
    }
  }

  /** Feeds decoded events to a new assembler. */
  static Output assemble(List<Ev> events) {
    Output out = new Output();
    BlockAssembler assembler = new BlockAssembler(out);
    for (Ev e : events) {
      assembler.accept(e.seqno(), e.ext()[0], e.ext()[1], e.ext()[2], e.decoded());
    }
    return out;
  }
}
