package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code herald ring ...} end to end: the upstream snapshot, and a ring this test writes. */
class RingCommandTest {
  @TempDir Path dir;

  private static Path upstreamSnapshot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("shared/data/monad/emn-1b-15m.snapshot");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    assumeTrue(false, "shared/data/monad/emn-1b-15m.snapshot not found");
    throw new AssertionError("unreachable");
  }

  /** Runs the command line with stdout captured; returns exit code and output. */
  private static String run(int expectedExit, String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      assertEquals(expectedExit, new CommandLine(new Herald()).execute(args));
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void infoShowsTheUpstreamSnapshotsHeader() {
    String out = run(0, "ring", "info", upstreamSnapshot().toString());
    assertTrue(out.contains("content type         2 (exec)"), out);
    assertTrue(
        out.contains("8933f907c432c98ac0c8db62f9aa164c0c3f1672f41290e4ea3408df6c6723f3"), out);
    assertTrue(out.contains("last seqno           6597"), out);
    assertTrue(out.contains("storage size         140509184 bytes (file 140509176)"), out);
  }

  @Test
  void watchReplaysASnapshotInEventwatchFormat() {
    List<String> lines =
        run(0, "ring", "watch", "-n", "3", upstreamSnapshot().toString()).lines().toList();
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(
        lines.get(0).endsWith(": BLOCK_START [2 0x2] SEQ: 1 LEN: 528 BUF_OFF: 0 BLK: 15000001"));
    assertTrue(lines.get(1).contains(" SEQ: 2 "), lines.get(1));
  }

  @Test
  void writeTestThenSnapshotThenWatch() {
    Path ring = dir.resolve("ring");
    Path snapshot = dir.resolve("ring.zst");
    run(0, "ring", "write-test", ring.toString(), "--rate", "0", "--count", "1000");
    assertTrue(Files.notExists(ring), "write-test removes its ring when done");
    assertEquals(1, new CommandLine(new Herald()).execute("ring", "info", ring.toString()));
    // A live ring to snapshot: write one with the library-level command and keep it open.
    try (var writer =
        dev.herald.ring.RingWriter.create(
            ring, dev.herald.ring.ContentType.TEST, dev.herald.ring.RingSize.ofShifts(16, 27))) {
      var r = writer.newReservation();
      for (int i = 1; i <= 10; i++) {
        writer.reserve(r, 2, 16).putLong(8, i).commit();
      }
      run(0, "ring", "snapshot", ring.toString(), snapshot.toString());
    }
    List<String> lines = run(0, "ring", "watch", "-d", snapshot.toString()).lines().toList();
    assertEquals(20, lines.size(), "ten summaries, each with one hexdump line");
    assertTrue(lines.get(0).contains("TEST_COUNTER [2 0x2] SEQ: 1 LEN: 16 BUF_OFF: 0"));
    assertEquals("00000000 00 00 00 00 00 00 00 00  01 00 00 00 00 00 00 00 ", lines.get(1));
  }
}
