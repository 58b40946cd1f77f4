package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventRing;
import dev.herald.ring.FollowFrom;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import dev.herald.ring.TestVlt;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An R3 stream on a three-node cluster: nothing is lost when the stream's leader is killed, and an
 * importer does not mistake a replica that is still catching up for the end of the stream.
 */
@Timeout(180)
class RingExportClusterTest {
  @TempDir Path dir;

  @Test
  void leaderKilledDuringExportToAnR3Stream() throws Exception {
    int count = 40_000;
    try (NatsCluster cluster = NatsCluster.start(dir);
        Connection nc =
            NatsConnector.connect(Arrays.asList(cluster.urls().split(",")), "test cluster")) {
      RingStream stream = RingStream.ensure(nc, new StreamSpec("r3", "herald.ring.r3", 3));
      Path source = dir.resolve("source");
      RingWriter writer = RingWriter.create(source, ContentType.TEST, RingSize.ofShifts(17, 27));
      try (EventRing ring = EventRing.open(source, ContentType.TEST)) {
        RingExport export = new RingExport(nc, stream, ring, FollowFrom.OLDEST, 512);
        AtomicReference<TransferStats> done = new AtomicReference<>();
        Thread exporter = Thread.ofPlatform().start(() -> done.set(export.run(() -> true)));
        Reservation r = writer.newReservation();
        NatsServer killed = null;
        for (long n = 1; n <= count; n++) {
          TestEvents.record(writer, r, n);
          if (n == count / 2) {
            while (export.stats().events() < count / 4) {
              Thread.sleep(10); // the export is well under way
            }
            String leader =
                nc.jetStreamManagement().getStreamInfo("r3").getClusterInfo().getLeader();
            killed = cluster.nodes().get(Integer.parseInt(leader.substring(1))); // nodes n0..n2
            killed.kill();
          }
        }
        List<TestEvents.Seen> expected = TestEvents.readAll(ring);
        writer.close();
        exporter.join();
        assertEquals(count, done.get().events());
        assertEquals(0, done.get().gaps());
        System.out.printf("R3 export with the leader killed: %d retries%n", done.get().retries());

        killed.restart(); // the importer's consumer is created on the whole cluster again
        Path replicaPath = dir.resolve("replica");
        new RingImport(nc, RingStream.existing(nc, "r3"), "r", replicaPath, null, 256)
            .run(() -> true, Duration.ofSeconds(1));
        try (EventRing replica = EventRing.open(replicaPath, ContentType.TEST)) {
          TestEvents.assertSameEvents(expected, TestEvents.readAll(replica));
        }
      } finally {
        writer.close();
      }
    }
  }

  /**
   * A node that was down while a stream filled comes back and catches up; an importer started at
   * once may have its consumer led by that node, which delivers what it holds and then reports
   * nothing pending. Each round restarts the lagging node and imports at once with a short idle
   * limit: the replica must still hold the whole stream. Large events make the catch-up slow.
   */
  @Test
  void untilIdleImportWaitsForTheStreamEndWhileAReplicaCatchesUp() throws Exception {
    int count = 1_500;
    byte[] none = new byte[0];
    try (NatsCluster cluster = NatsCluster.start(dir);
        Connection nc =
            NatsConnector.connect(Arrays.asList(cluster.urls().split(",")), "test cluster")) {
      for (int round = 0; round < 3; round++) {
        String name = "lag" + round;
        RingStream stream = RingStream.ensure(nc, new StreamSpec(name, "herald.ring." + name, 3));
        String leader = nc.jetStreamManagement().getStreamInfo(name).getClusterInfo().getLeader();
        NatsServer lagging = cluster.nodes().get((Integer.parseInt(leader.substring(1)) + 1) % 3);
        lagging.kill();
        Path source = dir.resolve("source" + round);
        RingWriter writer = RingWriter.create(source, ContentType.TEST, RingSize.ofShifts(16, 28));
        try (EventRing ring = EventRing.open(source, ContentType.TEST)) {
          RingExport export = new RingExport(nc, stream, ring, FollowFrom.OLDEST, 512);
          Reservation r = writer.newReservation();
          byte[] big = new byte[60_000];
          for (int n = 1; n <= count; n++) {
            Arrays.fill(big, (byte) n);
            writer.reserve(r, TestEventType.TEST_VLT.code(), TestVlt.sizeOf(big, none));
            TestVlt.write(r, big, none).commit();
          }
          writer.close(); // the export ends at the ring's end
          assertEquals(count, export.run(() -> true).events());
        } finally {
          writer.close();
        }
        lagging.restart();
        TransferStats imported =
            new RingImport(nc, stream, "r", dir.resolve("replica" + round), null, 256)
                .run(() -> true, Duration.ofSeconds(1));
        assertEquals(count, imported.events(), "events imported in round " + round);
      }
    }
  }
}
