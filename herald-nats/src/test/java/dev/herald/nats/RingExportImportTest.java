package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventRing;
import dev.herald.ring.FollowFrom;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A live ring exported to a real nats-server and imported into a replica, event for event. */
@Timeout(120)
class RingExportImportTest {
  @TempDir Path dir;

  @Test
  void liveRingRoundTripsThroughOneServer() throws Exception {
    roundTrip(100_000, RingSize.ofShifts(17, 27));
  }

  @Test
  @Tag("soak")
  void millionEventsRoundTrip() throws Exception {
    roundTrip(1_000_000, RingSize.ofShifts(20, 28));
  }

  private void roundTrip(int count, RingSize size) throws Exception {
    try (NatsServer server = NatsServer.start(dir);
        Connection nc = NatsConnector.connect(List.of(server.url()), "test export")) {
      Path source = dir.resolve("source");
      RingWriter writer = RingWriter.create(source, ContentType.TEST, size);
      EventRing ring = EventRing.open(source, ContentType.TEST);
      try {
        RingStream stream = RingStream.ensure(nc, StreamSpec.of("rt"));
        RingExport export = new RingExport(nc, stream, ring, FollowFrom.OLDEST, 1024);
        AtomicReference<TransferStats> exported = new AtomicReference<>();
        long start = System.nanoTime();
        Thread exporter = Thread.ofPlatform().start(() -> exported.set(export.run(() -> true)));
        Reservation r = writer.newReservation();
        for (long n = 1; n <= count; n++) {
          TestEvents.record(writer, r, n);
        }
        List<TestEvents.Seen> expected = TestEvents.readAll(ring);
        writer.close(); // the exporter finishes once its writer is gone
        exporter.join();
        double exportSeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(count, exported.get().events());
        assertEquals(0, exported.get().gaps());

        Path replicaPath = dir.resolve("replica");
        long importStart = System.nanoTime();
        RingImport importer =
            new RingImport(nc, RingStream.existing(nc, "rt"), "replica", replicaPath, null, 256);
        TransferStats imported = importer.run(() -> true, Duration.ofMillis(500));
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        assertEquals(count, imported.events());
        try (EventRing replica = EventRing.open(replicaPath, ContentType.TEST)) {
          assertEquals(size, replica.header().size());
          TestEvents.assertSameEvents(expected, TestEvents.readAll(replica));
        }
        System.out.printf(
            "%d events: export %.0f events/s, import %.0f events/s%n",
            count, count / exportSeconds, count / importSeconds);
        assertTrue(exportSeconds > 0);
      } finally {
        ring.close();
        writer.close();
      }
    }
  }
}
