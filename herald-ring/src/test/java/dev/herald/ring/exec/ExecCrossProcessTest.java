package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.exec.SnapshotEvents.Output;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXEC events written by another JVM ({@link ExecReplayWriterProcess}) while this one reads and
 * assembles them live: the blocks are the ones assembled from the snapshot itself.
 */
class ExecCrossProcessTest {
  @TempDir Path dir;

  @Test
  void blocksAssembledLiveFromAnotherProcessEqualTheSnapshots() throws Exception {
    List<SnapshotEvents.Ev> all = SnapshotEvents.all();
    Output expected = SnapshotEvents.assemble(all);
    Path path = dir.resolve("exec-ring");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", // the zstd library's, for the snapshot
                    "-cp",
                    System.getProperty("java.class.path"),
                    ExecReplayWriterProcess.class.getName(),
                    path.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("created", out.readLine(), "writer process output");
      Output live = new Output();
      BlockAssembler assembler = new BlockAssembler(live);
      int[] seen = new int[ExecEventType.COUNT];
      try (EventRing ring = EventRing.open(path, ContentType.EXEC)) {
        assertEquals(child.pid(), ring.writerPid().orElseThrow(), "the writer is the child");
        EventReader reader = ring.reader();
        reader.setSeqno(1);
        EventDescriptor d = new EventDescriptor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long read = 0;
        while (read < all.size()) {
          switch (reader.poll(d)) {
            case EVENT -> {
              assertEquals(++read, d.seqno());
              seen[d.eventType()]++;
              assembler.accept(ring, d);
            }
            case NOT_READY -> {
              assertTrue(System.nanoTime() < deadline, "stalled after " + read + " events");
              Thread.onSpinWait();
            }
            case GAP -> throw new AssertionError("the ring holds the whole snapshot: no gap");
          }
        }
        assertEquals("done", out.readLine(), "writer process output");
        assertEquals(all.size(), ring.lastSeqno());
      }
      child.getOutputStream().close(); // lets the writer close cleanly
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.exitValue());
      assertEquals(List.of(), live.drops());
      assertEquals(30, seen[ExecEventType.BLOCK_START.code()]);
      assertEquals(8_299, seen[ExecEventType.TXN_LOG.code()]);
      assertEquals(119, live.updates().size());
      // Compared whole (a mismatch would print megabytes): blocks, txns, logs, frames, accesses.
      assertTrue(
          expected.updates().equals(live.updates()), "live blocks differ from the snapshot's");
    } finally {
      child.destroyForcibly();
    }
  }
}
