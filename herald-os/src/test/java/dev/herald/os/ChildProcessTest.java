package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real children spawned with posix_spawnp and reaped with waitid. */
@Timeout(20)
class ChildProcessTest {
  @Test
  void aChildGetsItsFdsAndItsSignalMaskAndIsReapedByPid() throws Exception {
    try (Pipe output = Pipe.create(0);
        Arena arena = Arena.ofConfined()) {
      // grep reports its own blocked-signal mask on the pipe given as its standard output (no
      // shell in between: a shell may reset its mask).
      int pid =
          ChildProcess.spawn(
              List.of("grep", "SigBlk", "/proc/self/status"),
              Map.of(1, output.sink()),
              Signals.SIGUSR1,
              Signals.SIGTERM);
      output.sink().close();
      MemorySegment buffer = arena.allocate(200);
      long n = output.source().read(buffer);
      String line =
          new String(
              buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
              StandardCharsets.US_ASCII);
      long mask = Long.parseUnsignedLong(line.substring("SigBlk:".length()).strip(), 16);
      assertEquals((1L << 9) | (1L << 14), mask, line);
      assertEquals(new ChildStatus(pid, ChildStatus.How.EXITED, 0), ChildProcess.reap(pid, true));
    }
  }

  @Test
  void aRunningChildIsNotReapedWithoutWaitingAndAKilledOneSaysBySignal() throws Exception {
    int pid = ChildProcess.spawn(List.of("sleep", "30"), Map.of());
    assertNull(ChildProcess.reap(pid, false));
    new ProcessBuilder("kill", "-KILL", Integer.toString(pid)).start().waitFor();
    ChildStatus status = ChildProcess.reap(pid, true);
    assertEquals(new ChildStatus(pid, ChildStatus.How.KILLED, 9), status);
    assertEquals(137, status.shellCode());
    OsException again = assertThrows(OsException.class, () -> ChildProcess.reap(pid, false));
    assertEquals(Errno.ECHILD, again.errno());
  }

  @Test
  void badInputFailsWithATypedError() {
    OsException missing =
        assertThrows(
            OsException.class,
            () -> ChildProcess.spawn(List.of("no-such-program-herald"), Map.of()));
    assertEquals(Errno.ENOENT, missing.errno());
    assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(List.of(), Map.of()));
    OsException notAChild = assertThrows(OsException.class, () -> ChildProcess.reap(1, false));
    assertEquals(Errno.ECHILD, notAChild.errno());
  }

  @Test
  void aFifoCreatedHereIsAFifo(@org.junit.jupiter.api.io.TempDir Path directory) {
    Path fifo = directory.resolve("f");
    Fifo.create(fifo, 0600);
    assertEquals(
        true, Files.exists(fifo) && !Files.isRegularFile(fifo) && !Files.isDirectory(fifo));
    OsException missing =
        assertThrows(OsException.class, () -> Fifo.openReader(directory.resolve("none")));
    assertEquals(Errno.ENOENT, missing.errno());
  }
}
