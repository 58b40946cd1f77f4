package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer in another JVM, a reader here: the real shared-memory and flock protocol. */
class CrossProcessTest {
  private static final long EVENTS = 300_000;

  @TempDir Path dir;

  private static Process startWriter(Path ring, long events) throws IOException {
    return startWriter(ring, events, WriterThreads.SHARED);
  }

  private static Process startWriter(Path ring, long events, WriterThreads threads)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CounterWriterProcess.class.getName(),
                ring.toString(),
                Long.toString(events),
                threads.name()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static void expectLine(BufferedReader out, String line) throws IOException {
    assertEquals(line, out.readLine(), "writer process output");
  }

  @Test
  void aReaderFollowsAWriterInAnotherProcessAndSeesItLeave() throws Exception {
    followAWriterInAnotherProcess(WriterThreads.SHARED);
  }

  @Test
  void aReaderFollowsASingleThreadWriterInAnotherProcess() throws Exception {
    followAWriterInAnotherProcess(WriterThreads.CONFINED);
  }

  private void followAWriterInAnotherProcess(WriterThreads threads) throws Exception {
    Path path = dir.resolve("ring");
    Process child = startWriter(path, EVENTS, threads);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      expectLine(out, "created");
      try (EventRing ring = EventRing.open(path, ContentType.TEST)) {
        assertEquals(OptionalLong.of(child.pid()), ring.writerPid(), "found through /proc/locks");
        assertEquals(WriterState.ALIVE, RingLiveness.state(ring));
        EventReader reader = ring.reader();
        reader.setSeqno(1);
        EventDescriptor d = new EventDescriptor();
        long expected = 1;
        long gaps = 0;
        while (expected <= EVENTS) {
          switch (reader.poll(d)) {
            case EVENT -> {
              TestCounter c = TestCounter.read(ring.payload(d));
              if (ring.payloadValid(d)) {
                assertEquals(9, c.writerId());
                assertEquals(d.seqno(), c.counter(), "counter n is event n");
              }
              assertEquals(expected, d.seqno());
              expected++;
            }
            case NOT_READY -> Thread.onSpinWait();
            case GAP -> {
              gaps++;
              reader.reset();
              expected = reader.nextSeqno();
            }
          }
        }
        assertTrue(gaps < EVENTS, "most events were read in order");
        expectLine(out, "done");
        child.getOutputStream().close(); // lets the writer close cleanly
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
        assertTrue(Files.notExists(path), "a clean writer removes its ring");
        assertEquals(WriterState.GONE, RingLiveness.state(ring));
        assertTrue(ring.tryCopy(EVENTS, d), "the mapping still reads what was written");
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aKilledWritersZombieIsReclaimedAndReadersSeeTheRestart() throws Exception {
    Path path = dir.resolve("ring");
    Process child = startWriter(path, 1000);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      expectLine(out, "created");
      expectLine(out, "done");
      try (EventRing old = EventRing.open(path, ContentType.TEST)) {
        child.destroyForcibly(); // SIGKILL: no cleanup, the file stays without a lock
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(path), "a killed writer leaves a zombie file");
        assertEquals(OptionalLong.empty(), old.writerPid());
        assertEquals(WriterState.GONE, RingLiveness.state(old));
        try (RingWriter restarted = RingWriter.create(path, ContentType.TEST, TestRings.SMALLEST);
            EventRing fresh = EventRing.open(path, ContentType.TEST)) {
          assertEquals(WriterState.REPLACED, RingLiveness.state(old));
          assertNotEquals(old.fileStatus().inode(), fresh.fileStatus().inode());
          assertEquals(1000, old.lastSeqno());
          assertEquals(0, fresh.lastSeqno(), "a new ring starts again at seqno 1");
          assertEquals(WriterState.ALIVE, RingLiveness.state(fresh));
          assertEquals(restarted.header(), fresh.header());
        }
      }
    } finally {
      child.destroyForcibly();
    }
  }
}
