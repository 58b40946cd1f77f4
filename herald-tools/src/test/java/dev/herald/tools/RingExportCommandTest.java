package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.nats.NatsServer;
import dev.herald.nats.TestEvents;
import dev.herald.ring.ContentType;
import dev.herald.ring.EventRing;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald ring export} and {@code ring import} against a real nats-server. */
@Timeout(120)
class RingExportCommandTest {
  @TempDir Path dir;

  @Test
  void exportThenImportMakesAnEqualReplica() throws Exception {
    int count = 20_000;
    Path source = dir.resolve("source");
    try (NatsServer server = NatsServer.start(dir)) {
      RingWriter writer = RingWriter.create(source, ContentType.TEST, RingSize.ofShifts(16, 27));
      List<TestEvents.Seen> expected;
      try (EventRing ring = EventRing.open(source, ContentType.TEST)) {
        AtomicReference<CapturedRun> export = new AtomicReference<>();
        Thread exporter =
            Thread.ofPlatform()
                .start(
                    () ->
                        export.set(
                            CapturedRun.of(
                                "ring",
                                "export",
                                "--nats",
                                server.url(),
                                "--stream",
                                "cli",
                                source.toString())));
        Reservation r = writer.newReservation();
        for (long n = 1; n <= count; n++) {
          TestEvents.record(writer, r, n);
        }
        expected = TestEvents.readAll(ring);
        Connection nc = Nats.connect(server.url());
        try {
          awaitMessages(nc, "cli", count, exporter::isAlive, () -> export.get().err());
        } finally {
          nc.close();
        }
        writer.close(); // the export ends by itself once the writer is gone
        exporter.join();
        assertEquals(0, export.get().exit(), export.get().err());
        assertTrue(
            export.get().err().contains(count + " events exported to stream cli"),
            export.get().err());
      } finally {
        writer.close();
      }
      Path replica = dir.resolve("replica");
      CapturedRun imported =
          CapturedRun.of(
              "ring",
              "import",
              "--nats",
              server.url(),
              "--stream",
              "cli",
              "--until-idle",
              "1",
              "--size",
              "17:27",
              replica.toString());
      assertEquals(0, imported.exit(), imported.err());
      assertTrue(imported.err().contains(count + " events imported"), imported.err());
      try (EventRing ring = EventRing.open(replica, ContentType.TEST)) {
        assertEquals(RingSize.ofShifts(17, 27), ring.header().size());
        TestEvents.assertSameEvents(expected, TestEvents.readAll(ring));
      }
      CapturedRun info = CapturedRun.of("ring", "info", replica.toString());
      assertEquals(0, info.exit(), info.err()); // the existing tools read the replica
    }
  }

  @Test
  void exporterKilledAndRestartedLosesAndRepeatsNothingAndStopsWithZeroOnSigterm()
      throws Exception {
    int count = 30_000;
    Path source = dir.resolve("source");
    try (NatsServer server = NatsServer.start(dir)) {
      Connection nc = Nats.connect(server.url());
      try {
        killAndRestart(server, nc, source, count);
      } finally {
        nc.close();
      }
    }
  }

  private void killAndRestart(NatsServer server, Connection nc, Path source, int count)
      throws Exception {
    {
      RingWriter writer = RingWriter.create(source, ContentType.TEST, RingSize.ofShifts(16, 27));
      List<TestEvents.Seen> expected;
      try (EventRing ring = EventRing.open(source, ContentType.TEST)) {
        String[] args = {
          "ring", "export", "--nats", server.url(), "--stream", "k", source.toString()
        };
        Path firstLog = dir.resolve("first.log");
        Process first = start(args, firstLog);
        Reservation r = writer.newReservation();
        long n = 1;
        for (; n <= count / 2; n++) {
          TestEvents.record(writer, r, n);
        }
        awaitMessages(nc, "k", count / 4, first::isAlive, () -> Files.readString(firstLog));
        first.destroyForcibly(); // SIGKILL, mid-stream
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        long stored = messages(nc, "k");
        assertTrue(stored < count / 2, "killed before it had exported everything: " + stored);

        Path secondLog = dir.resolve("second.log");
        Process second = start(args, secondLog);
        for (; n <= count; n++) {
          TestEvents.record(writer, r, n);
        }
        expected = TestEvents.readAll(ring);
        awaitMessages(nc, "k", count, second::isAlive, () -> Files.readString(secondLog));
        second.destroy(); // SIGTERM: finish the acknowledgements in flight, exit 0
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        String out = Files.readString(secondLog);
        assertEquals(0, second.exitValue(), out);
        assertTrue(out.contains("events exported to stream k"), out);
        assertFalse(out.contains("Exception"), out);
        assertEquals(count, messages(nc, "k"), "no duplicate");
      } finally {
        writer.close();
      }
      Path replica = dir.resolve("replica");
      CapturedRun imported =
          CapturedRun.of(
              "ring",
              "import",
              "--nats",
              server.url(),
              "--stream",
              "k",
              "--until-idle",
              "1",
              replica.toString());
      assertEquals(0, imported.exit(), imported.err());
      try (EventRing ring = EventRing.open(replica, ContentType.TEST)) {
        TestEvents.assertSameEvents(expected, TestEvents.readAll(ring));
      }
    }
  }

  @Test
  void unreachableNatsIsOneLineWithinTenSeconds() throws Exception {
    String url = "nats://127.0.0.1:" + freePort();
    try (RingWriter writer =
        RingWriter.create(dir.resolve("ring"), ContentType.TEST, RingSize.ofShifts(16, 27))) {
      for (String[] args :
          List.of(
              new String[] {
                "ring", "export", "--nats", url, "--stream", "s", writer.path().toString()
              },
              new String[] {"ring", "import", "--nats", url, "--stream", "s", "replica"})) {
        long start = System.nanoTime();
        CapturedRun run = CapturedRun.of(args);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("herald ring " + args[1] + ": no NATS server"), run.err());
        assertTrue(millis < 10_000, millis + " ms");
      }
    }
  }

  @Test
  void badOptionsAreOneUsageLine() {
    List<List<String>> bad =
        List.of(
            List.of(
                "ring", "export", "--nats", "nats://x:1", "--stream", "s", "--replicas", "0", "r"),
            List.of(
                "ring", "export", "--nats", "nats://x:1", "--stream", "s", "--replicas", "6", "r"),
            List.of("ring", "export", "--nats", "nats://x:1", "--stream", "a.b", "r"),
            List.of(
                "ring", "export", "--nats", "nats://x:1", "--stream", "s", "--from", "mid", "r"),
            List.of(
                "ring", "export", "--nats", "nats://x:1", "--stream", "s", "--window", "0", "r"),
            List.of("ring", "export", "--stream", "s", "r"),
            List.of(
                "ring", "import", "--nats", "nats://x:1", "--stream", "s", "--size", "3:30", "r"),
            List.of("ring", "import", "--nats", "nats://x:1", "--stream", "s", "--size", "20", "r"),
            List.of(
                "ring",
                "import",
                "--nats",
                "nats://x:1",
                "--stream",
                "s",
                "--until-idle",
                "0",
                "r"),
            List.of(
                "ring",
                "import",
                "--nats",
                "nats://x:1",
                "--stream",
                "s",
                "--durable",
                "a b",
                "r"));
    for (List<String> args : bad) {
      CapturedRun run = CapturedRun.of(args.toArray(String[]::new));
      assertEquals(2, run.exit(), args + ": " + run.err());
      assertEquals(1, run.errLines().size(), args + ": " + run.err());
      assertTrue(run.err().contains("--help"), run.err());
    }
  }

  private static long messages(Connection nc, String stream) throws Exception {
    return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
  }

  /** {@code herald ARGS} in a child JVM, stdout and stderr to {@code log}. */
  private static Process start(String[] args, Path log) throws IOException {
    return HeraldJvm.command(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the stream holds {@code atLeast} messages, failing if the exporter ends first. */
  private static void awaitMessages(
      Connection nc,
      String stream,
      long atLeast,
      BooleanSupplier exporterAlive,
      Callable<String> exporterOutput)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        if (messages(nc, stream) >= atLeast) {
          return;
        }
      } catch (io.nats.client.JetStreamApiException e) {
        // the exporter has not created the stream yet
      }
      if (!exporterAlive.getAsBoolean() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "the exporter did not export " + atLeast + " events: " + exporterOutput.call());
      }
      Thread.sleep(20);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
