package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventRing;
import dev.herald.ring.FollowFrom;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingSnapshots;
import dev.herald.ring.RingWriter;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the exporter does when things go wrong: a restart resumes where the stream ends, events the
 * writer overwrote meanwhile become one gap marker (and one MISSING_EVENT in the replica), a server
 * that goes away and comes back costs nothing, and a snapshot exported twice is stored once.
 */
@Timeout(120)
class RingExportRecoveryTest {
  @TempDir Path dir;

  @Test
  void restartResumesAndALappedRangeBecomesOneMissingEvent() throws Exception {
    try (NatsServer server = NatsServer.start(dir);
        Connection nc = NatsConnector.connect(List.of(server.url()), "test")) {
      Path source = dir.resolve("source");
      RingWriter writer = RingWriter.create(source, ContentType.TEST, RingSize.ofShifts(16, 27));
      try (EventRing ring = EventRing.open(source, ContentType.TEST)) {
        RingStream stream = RingStream.ensure(nc, StreamSpec.of("lap"));
        Reservation r = writer.newReservation();
        for (long n = 1; n <= 100; n++) {
          TestEvents.record(writer, r, n);
        }
        List<TestEvents.Seen> first = TestEvents.readAll(ring);
        RingExport before = new RingExport(nc, stream, ring, FollowFrom.OLDEST, 64);
        TransferStats stopped = before.run(() -> before.stats().events() < 100);
        assertEquals(100, stopped.events());

        // The exporter is away while the writer laps the 65,536-event ring.
        for (long n = 101; n <= 70_100; n++) {
          TestEvents.record(writer, r, n);
        }
        List<TestEvents.Seen> held = TestEvents.readAll(ring); // 4,565 to 70,100
        long lost = 70_100 - held.size() - 100;
        RingExport after = new RingExport(nc, stream, ring, FollowFrom.OLDEST, 1024);
        assertEquals(before.identity(), after.identity(), "the same ring, the same identity");
        AtomicReference<TransferStats> resumed = new AtomicReference<>();
        Thread exporter = Thread.ofPlatform().start(() -> resumed.set(after.run(() -> true)));
        writer.close();
        exporter.join();
        assertEquals(held.size(), resumed.get().events(), "only what was not exported yet");
        assertEquals(1, resumed.get().gaps());

        Path replicaPath = dir.resolve("replica");
        RingSize bigger = RingSize.ofShifts(17, 27); // the whole stream fits
        new RingImport(nc, RingStream.existing(nc, "lap"), "r", replicaPath, bigger, 512)
            .run(() -> true, Duration.ofMillis(300));
        try (EventRing replica = EventRing.open(replicaPath, ContentType.TEST)) {
          assertEquals(bigger, replica.header().size());
          List<TestEvents.Seen> all = TestEvents.readAll(replica);
          assertEquals(100 + 1 + held.size(), all.size());
          TestEvents.assertSameEvents(first, all.subList(0, 100));
          assertEquals(lost, TestEvents.missingCount(all.get(100)));
          TestEvents.assertSameEvents(held, all.subList(101, all.size()));
        }
      } finally {
        writer.close();
      }
    }
  }

  @Test
  void serverKilledAndRestartedMidExportLosesAndRepeatsNothing() throws Exception {
    int count = 30_000;
    try (NatsServer server = NatsServer.start(dir);
        Connection nc = NatsConnector.connect(List.of(server.url()), "test")) {
      Path source = dir.resolve("source");
      RingWriter writer = RingWriter.create(source, ContentType.TEST, RingSize.ofShifts(17, 27));
      try (EventRing ring = EventRing.open(source, ContentType.TEST)) {
        RingExport export =
            new RingExport(
                nc, RingStream.ensure(nc, StreamSpec.of("bounce")), ring, FollowFrom.OLDEST, 256);
        AtomicReference<TransferStats> done = new AtomicReference<>();
        Thread exporter = Thread.ofPlatform().start(() -> done.set(export.run(() -> true)));
        Reservation r = writer.newReservation();
        boolean sawOutage = false;
        for (long n = 1; n <= count; n++) {
          TestEvents.record(writer, r, n);
          if (n == count / 3) {
            server.kill();
          }
          if (n > count / 3 && n < 2 * count / 3) {
            Thread.sleep(0, 50_000); // the outage lasts a while
            sawOutage |= !export.stats().connected();
          }
          if (n == 2 * count / 3) {
            server.restart();
          }
        }
        List<TestEvents.Seen> expected = TestEvents.readAll(ring);
        writer.close();
        exporter.join();
        assertTrue(sawOutage, "the rates showed the outage");
        assertEquals(count, done.get().events());
        assertTrue(done.get().retries() > 0, "the exporter retried");

        Path replicaPath = dir.resolve("replica");
        new RingImport(nc, RingStream.existing(nc, "bounce"), "r", replicaPath, null, 256)
            .run(() -> true, Duration.ofMillis(300));
        try (EventRing replica = EventRing.open(replicaPath, ContentType.TEST)) {
          TestEvents.assertSameEvents(expected, TestEvents.readAll(replica));
        }
      } finally {
        writer.close();
      }
    }
  }

  @Test
  void importerWaitsOutAServerRestartAndMissesNothing() throws Exception {
    int count = 20_000;
    try (NatsServer server = NatsServer.start(dir);
        Connection nc = NatsConnector.connect(List.of(server.url()), "test")) {
      List<TestEvents.Seen> expected;
      try (RingWriter writer =
              RingWriter.create(
                  dir.resolve("source"), ContentType.TEST, RingSize.ofShifts(16, 27));
          EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
        Reservation r = writer.newReservation();
        for (long n = 1; n <= count; n++) {
          TestEvents.record(writer, r, n);
        }
        expected = TestEvents.readAll(ring);
        RingExport export =
            new RingExport(
                nc, RingStream.ensure(nc, StreamSpec.of("imp")), ring, FollowFrom.OLDEST, 1024);
        export.run(() -> export.stats().events() < count);
      }
      Path replicaPath = dir.resolve("replica");
      RingImport importer =
          new RingImport(
              nc, RingStream.existing(nc, "imp"), "r", replicaPath, null, 64, () -> sleepMillis(0));
      AtomicReference<TransferStats> done = new AtomicReference<>();
      Thread thread =
          Thread.ofPlatform()
              .start(() -> done.set(importer.run(() -> true, Duration.ofSeconds(2))));
      while (importer.stats().events() < count / 4) {
        Thread.sleep(5);
      }
      server.kill();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (importer.stats().connected() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertFalse(importer.stats().connected(), "the rates show the outage");
      Thread.sleep(500);
      server.restart();
      thread.join();
      assertEquals(count, done.get().events());
      assertTrue(done.get().retries() > 0);
      try (EventRing replica = EventRing.open(replicaPath, ContentType.TEST)) {
        TestEvents.assertSameEvents(expected, TestEvents.readAll(replica));
      }
    }
  }

  @Test
  void snapshotIsExportedToItsEndAndOnlyOnceAndImportedTwiceAlike() throws Exception {
    Path snapshot = dir.resolve("ring.zst");
    try (RingWriter writer =
        RingWriter.create(dir.resolve("source"), ContentType.TEST, RingSize.ofShifts(16, 27))) {
      Reservation r = writer.newReservation();
      for (long n = 1; n <= 2000; n++) {
        TestEvents.record(writer, r, n);
      }
      try (EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
        RingSnapshots.write(ring, snapshot);
      }
    }
    try (NatsServer server = NatsServer.start(dir);
        Connection nc = NatsConnector.connect(List.of(server.url()), "test")) {
      RingStream stream = RingStream.ensure(nc, StreamSpec.of("snap"));
      List<TestEvents.Seen> expected;
      try (EventRing ring = EventRing.openSnapshot(snapshot, ContentType.TEST)) {
        expected = TestEvents.readAll(ring);
        assertEquals(
            2000,
            new RingExport(nc, stream, ring, FollowFrom.OLDEST, 128).run(() -> true).events());
      }
      try (EventRing again = EventRing.openSnapshot(snapshot, ContentType.TEST)) {
        assertEquals(
            0, new RingExport(nc, stream, again, FollowFrom.OLDEST, 128).run(() -> true).events());
      }
      assertEquals(
          2000, nc.jetStreamManagement().getStreamInfo("snap").getStreamState().getMsgCount());
      Path replicaPath = dir.resolve("replica");
      for (int run = 1; run <= 2; run++) { // a restarted importer rebuilds the kept replica
        new RingImport(nc, RingStream.existing(nc, "snap"), "r", replicaPath, null, 64)
            .run(() -> true, Duration.ofMillis(300));
        try (EventRing replica = EventRing.open(replicaPath, ContentType.TEST)) {
          TestEvents.assertSameEvents(expected, TestEvents.readAll(replica));
          assertEquals(2000, replica.lastSeqno(), "run " + run + " numbers its own events");
        }
      }
    }
  }

  @Test
  void slowImporterLeavesTheBacklogInTheStream() throws Exception {
    try (NatsServer server = NatsServer.start(dir);
        Connection nc = NatsConnector.connect(List.of(server.url()), "test")) {
      try (RingWriter writer =
              RingWriter.create(
                  dir.resolve("source"), ContentType.TEST, RingSize.ofShifts(16, 27));
          EventRing ring = EventRing.open(writer.path(), ContentType.TEST)) {
        Reservation r = writer.newReservation();
        for (long n = 1; n <= 3000; n++) {
          TestEvents.record(writer, r, n);
        }
        RingExport export =
            new RingExport(
                nc, RingStream.ensure(nc, StreamSpec.of("slow")), ring, FollowFrom.OLDEST, 512);
        export.run(() -> export.stats().events() < 3000);
      }
      RingImport slow =
          new RingImport(
              nc,
              RingStream.existing(nc, "slow"),
              "slow",
              dir.resolve("replica"),
              null,
              16,
              () -> sleepMillis(2));
      AtomicBoolean running = new AtomicBoolean(true);
      Thread importer = Thread.ofPlatform().start(() -> slow.run(running::get, null));
      List<long[]> samples = new ArrayList<>(); // {ack pending, not yet delivered}
      for (int i = 0; i < 10; i++) {
        Thread.sleep(100);
        try {
          var info = nc.jetStreamManagement().getConsumerInfo("slow", "slow");
          samples.add(new long[] {info.getNumAckPending(), info.getNumPending()});
        } catch (io.nats.client.JetStreamApiException e) {
          // not created yet
        }
      }
      running.set(false);
      importer.join();
      assertFalse(samples.isEmpty());
      for (long[] s : samples) {
        assertTrue(
            s[0] <= slow.maxAckPending(), "at most 32 delivered and unacknowledged: " + s[0]);
      }
      assertTrue(samples.getFirst()[1] > 1000, "the backlog waits in the stream");
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
