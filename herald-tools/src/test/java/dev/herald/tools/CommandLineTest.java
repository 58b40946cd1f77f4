package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.UpstreamData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: errors, exits, parent commands, signals. */
@Timeout(60)
class CommandLineTest {
  @TempDir Path dir;

  private static CapturedRun run(String... args) {
    return CapturedRun.of(args);
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  @Test
  void everyBadOptionValueIsOneUsageLineWithExitTwo() {
    List<List<String>> bad =
        List.of(
            List.of("ring", "write-test", "-w", "0"),
            List.of("ring", "write-test", "-w", "-3"),
            List.of("ring", "write-test", "-r", "-1"),
            List.of("ring", "write-test", "-n", "-5"),
            List.of("ring", "write-test", "--descriptor-shift", "99"),
            List.of("ring", "write-test", "--descriptor-shift", "-1"),
            List.of("ring", "write-test", "--payload-shift", "3"),
            List.of("ring", "watch", "-n", "0", "x"),
            List.of("ring", "watch", "--period-ms", "0", "x"),
            List.of("ring", "stat", "-i", "0", "x"),
            List.of("engine", "tap", "-n", "-3"),
            List.of("engine", "tap", "--port", "0"),
            List.of("engine", "publish", "--port", "0", "x"),
            List.of("engine", "publish", "--port", "70000", "x"),
            List.of("engine", "publish", "--port", "-1", "x"),
            List.of("engine", "publish", "--port", "http", "x"),
            List.of("engine", "publish", "--connect-wait-ms", "-5", "x"),
            List.of("engine", "example", "--plugin-port", "0"),
            List.of("demo", "-s", "0"),
            List.of("demo", "-s", "-1"));
    for (List<String> args : bad) {
      CapturedRun r = run(args.toArray(String[]::new));
      assertEquals(2, r.exit(), args + ": " + r.err());
      assertEquals(1, r.errLines().size(), args + ": one line on stderr:\n" + r.err());
      String line = r.errLines().getFirst();
      assertTrue(line.startsWith("herald " + args.getFirst()), line);
      assertTrue(
          line.contains("'" + args.get(args.size() - 2) + "'") || line.contains("--help"), line);
      assertTrue(line.contains("--help"), line);
    }
  }

  @Test
  void parentCommandsAloneListTheirSubcommandsWithExitTwo() {
    CapturedRun engine = run("engine");
    assertEquals(2, engine.exit(), engine.err());
    for (String sub : List.of("example", "tap", "publish")) {
      assertTrue(engine.err().contains(sub), engine.err());
    }
    CapturedRun ring = run("ring");
    assertEquals(2, ring.exit(), ring.err());
    for (String sub : List.of("info", "watch", "write-test", "snapshot", "stat")) {
      assertTrue(ring.err().contains(sub), ring.err());
    }
    CapturedRun herald = run();
    assertEquals(2, herald.exit(), herald.err());
    assertTrue(herald.err().contains("demo"), herald.err());
  }

  @Test
  void helpShowsDefaultsAndTheOptionalPath() {
    CapturedRun r = run("ring", "write-test", "--help");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("write-test [-hV] [--debug]"), r.out());
    assertTrue(r.out().contains("[<path>]"), r.out());
    assertTrue(r.out().contains("Default: 10000"), r.out());
    assertTrue(r.out().contains("Default: /dev/shm/event-recorder-test"), r.out());
  }

  @Test
  void badHexIsOneUsageLineAndSendsNothing() {
    CapturedRun r = run("engine", "publish", "--hex", "--timeout-ms", "100", "zz");
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().startsWith("herald engine publish: 'zz' is not hex bytes"), r.err());
    assertTrue(r.err().contains("(see 'herald engine publish --help')"), r.err());
  }

  @Test
  void publishWithNothingListeningSaysSoAndFails() throws IOException {
    int port = freePort();
    CapturedRun r =
        run("engine", "publish", "--port", Integer.toString(port), "--timeout-ms", "300", "x");
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(
        r.err().contains("nothing accepted a connection on tcp://127.0.0.1:" + port), r.err());
    assertFalse(r.out().contains("published"), r.out());
  }

  @Test
  void tapTimesOutWhenAskedAndSaysItIsConnecting() throws IOException {
    int port = freePort();
    CapturedRun r = run("engine", "tap", "--port", Integer.toString(port), "--timeout-ms", "300");
    assertEquals(1, r.exit(), r.err());
    List<String> lines = r.errLines();
    assertEquals(2, lines.size(), r.err());
    assertEquals("tap: connecting to tcp://127.0.0.1:" + port + " ...", lines.get(0));
    assertTrue(lines.get(1).startsWith("herald engine tap: nothing accepted"), r.err());
  }

  @Test
  void debugAddsTheStackTrace() {
    Path missing = dir.resolve("missing");
    CapturedRun r = run("ring", "info", "--debug", missing.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.errLines().size() > 2, r.err());
    assertTrue(r.errLines().getFirst().startsWith("herald ring info: cannot open"), r.err());
    assertTrue(r.err().contains("\tat dev.herald.tools."), r.err());
  }

  @Test
  void aDirectoryAndACorruptSnapshotAreNamedForWhatTheyAre() throws IOException {
    CapturedRun d = run("ring", "info", dir.toString());
    assertEquals(1, d.exit(), d.err());
    assertEquals(
        List.of(
            "herald ring info: "
                + dir
                + " is a directory: give a ring file (e.g. in"
                + " /dev/shm) or a zstd snapshot"),
        d.errLines());
    Path zst = dir.resolve("bad.zst");
    Files.write(zst, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3, 4, 5, 6, 7, 8});
    for (String command : List.of("watch", "blocks", "stat", "info")) {
      CapturedRun z = run("ring", command, zst.toString());
      assertEquals(1, z.exit(), command + ": " + z.err());
      assertEquals(1, z.errLines().size(), command + ": " + z.err());
      assertTrue(
          z.err().contains(zst + " is a zstd file but not a readable ring snapshot"),
          command + ": " + z.err());
    }
  }

  @Test
  void aRingOfAnotherSchemaIsRefusedUnlessOnlyItsHeaderIsAsked() throws IOException {
    try (RingWriter writer =
        RingWriter.create(dir.resolve("ring"), ContentType.TEST, RingSize.ofShifts(16, 27))) {
      try (FileChannel ch = FileChannel.open(writer.path(), StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 8); // the schema hash starts at 8
      }
      String ring = writer.path().toString();
      for (String command : List.of("watch", "info")) {
        CapturedRun r = run("ring", command, ring);
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(" holds test events of another schema version"), r.err());
      }
      CapturedRun info = run("ring", "info", "--any-schema", ring);
      assertEquals(0, info.exit(), info.err());
      assertTrue(info.out().contains("schema hash          01020304"), info.out());
    }
  }

  @Test
  void writeTestReportsItsFinalCount() {
    Path ring = dir.resolve("ring");
    CapturedRun r = run("ring", "write-test", ring.toString(), "--rate", "0", "--count", "1000");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("1000 events written to " + ring), r.out());
  }

  @Test
  void writeTestOnSigintStopsCleanlyAndRemovesItsRing() throws Exception {
    Path ring = dir.resolve("ring");
    Process writer =
        HeraldJvm.command("ring", "write-test", ring.toString(), "--rate", "0").start();
    try {
      // The first progress line means the writer threads are recording.
      String first =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertTrue(first != null && first.contains("events/s"), String.valueOf(first));
      assertTrue(Files.exists(ring));
      new ProcessBuilder("kill", "-INT", Long.toString(writer.pid())).start().waitFor();
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "write-test stops on SIGINT");
      String err = new String(writer.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(
          List.of(), err.lines().filter(l -> !l.startsWith("writing ")).toList(), "no trace");
      assertFalse(Files.exists(ring), "the ring is removed");
      assertEquals(130, writer.exitValue(), err);
    } finally {
      writer.destroyForcibly();
    }
  }

  /** The {@code herald-ring-snapshot-*} files in {@code /dev/shm} now. */
  private static List<Path> decompressedSnapshots() throws IOException {
    try (var files = Files.list(Path.of("/dev/shm"))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("herald-ring-snapshot-"))
          .toList();
    }
  }

  @Test
  void sigintWhileASnapshotIsDecompressedRemovesThePartialRing() throws Exception {
    List<Path> before = decompressedSnapshots();
    Process info =
        HeraldJvm.command(
                "ring", "info", UpstreamData.emn30bDir().resolve("snapshot.zst").toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      List<Path> partial = List.of();
      while (partial.isEmpty() && info.isAlive()) {
        partial = decompressedSnapshots().stream().filter(p -> !before.contains(p)).toList();
        Thread.sleep(2);
      }
      assertFalse(partial.isEmpty(), "the snapshot was being decompressed");
      new ProcessBuilder("kill", "-INT", Long.toString(info.pid())).start().waitFor();
      assertTrue(info.waitFor(30, TimeUnit.SECONDS), "ring info stops on SIGINT");
      String err = new String(info.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals("", err, "a stop is not an error");
      assertEquals(130, info.exitValue());
      for (Path p : partial) {
        assertFalse(Files.exists(p), "the partial ring is removed: " + p);
      }
    } finally {
      info.destroyForcibly();
      info.waitFor();
    }
  }
}
