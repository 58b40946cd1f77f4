package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopCommandTest {
  /** A Python child that reports each signal it gets and ignores SIGINT when told to. */
  private static Process child(boolean ignoreSigint) throws Exception {
    String script =
        "import signal, sys, time\n"
            + (ignoreSigint ? "signal.signal(signal.SIGINT, signal.SIG_IGN)\n" : "")
            + "print('ready', flush=True)\n"
            + "time.sleep(120)\n";
    Process p = new ProcessBuilder("python3", "-c", script).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine(), "the child is up with its handlers set");
    return p;
  }

  @Test
  void sigintStopsACooperativeProcess() throws Exception {
    Process p = child(false);
    try {
      // 0 is clamped to 10 s, as upstream clamps it, not refused.
      CapturedRun run =
          CapturedRun.of("stop", "--service", Long.toString(p.pid()), "--timeout", "0");
      assertEquals(0, run.exit(), run.err());
      assertEquals("", run.err());
      assertFalse(p.isAlive());
      assertTrue(p.exitValue() != 0, "python ends on SIGINT with KeyboardInterrupt");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aProcessIgnoringSigintGetsSigtermAfterTheTimeout() throws Exception {
    Process p = child(true);
    try {
      long start = System.nanoTime();
      // 1 s is clamped to upstream's minimum of 10 s.
      CapturedRun run = CapturedRun.of("stop", "-s", Long.toString(p.pid()), "--timeout", "1");
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertEquals(0, run.exit(), run.err());
      assertTrue(seconds >= 10, "waited the clamped timeout, not " + seconds + " s");
      assertEquals(
          List.of(
              "herald stop: process " + p.pid() + " still runs 10 s after SIGINT; sending SIGTERM"),
          run.errLines());
      assertFalse(p.isAlive());
      assertEquals(128 + 15, p.exitValue(), "ended by SIGTERM");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aProcessThatIsNotRunningIsAlreadyStopped() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    CapturedRun run = CapturedRun.of("stop", "--service", Long.toString(gone.pid()));
    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.err() + run.out());
  }

  @Test
  void anEmptyServiceIsNothingToDo() {
    CapturedRun run = CapturedRun.of("stop", "--service", "");
    assertEquals(0, run.exit());
    assertEquals("", run.err() + run.out());
  }

  @Test
  void zeroAndGarbageAreErrors() {
    for (String value : List.of("0", "-4", "nginx.service", "12x")) {
      CapturedRun run = CapturedRun.of("stop", "--service", value);
      assertEquals(1, run.exit(), value);
      assertEquals(1, run.errLines().size(), run.err());
      assertTrue(run.err().startsWith("herald stop: --service expects a process id"), run.err());
    }
    CapturedRun run = CapturedRun.of("stop", "--service", "12", "--timeout", "soon");
    assertEquals(1, run.exit(), run.err());
    assertEquals(1, run.errLines().size(), run.err());
  }
}
