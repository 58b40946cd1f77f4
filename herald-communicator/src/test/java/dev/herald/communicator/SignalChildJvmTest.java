package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.herald.os.ChildProcess;
import dev.herald.os.ChildStatus;
import dev.herald.os.Signals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signals sent with {@code kill} to a child JVM ({@link SignalChild}), whose standard output comes
 * back through a pipe and a stream connection: they reach its loop when the JVM was started with
 * them blocked (and {@code -Xrs}, for SIGTERM), and end it with their default action when not.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalChildJvmTest {
  private final Loop loop = new Loop().start();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private int child = -1;

  @AfterEach
  void close() {
    if (child > 0) {
      kill("-KILL", child); // on failure only: the tests reap their child
      ChildProcess.reap(child, true);
    }
    loop.close();
  }

  /** Starts {@link SignalChild} with {@code blocked} blocked in its signal mask. */
  private int startChild(int... blocked) {
    ChildPipe output = ChildPipe.create(ChildPipe.Kind.CHILD_OUTPUT);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int pid =
        ChildProcess.spawn(
            List.of(
                java,
                "-Xrs",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                SignalChild.class.getName()),
            Map.of(1, output.childEnd()),
            blocked);
    Transport ours = output.forked();
    loop.run(
        () ->
            StreamConnection.open(
                loop.communicator,
                "child output",
                ours,
                Framing.lines(),
                (stream, data, offset, length) ->
                    lines.add(new String(data, offset, length, StandardCharsets.UTF_8))));
    child = pid;
    return pid;
  }

  private String next() throws InterruptedException {
    String line = lines.poll(30, TimeUnit.SECONDS);
    assertNotNull(line, "the child JVM said nothing for 30 s");
    return line;
  }

  /** Runs the {@code kill} command; returns its pid, the sender the child should see. */
  private static long kill(String signal, int pid) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Integer.toString(pid)).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill " + signal + " " + pid);
      return kill.pid();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void signalsSentToAJvmStartedWithThemBlockedReachItsLoop() throws Exception {
    int pid = startChild(Signals.SIGUSR1, Signals.SIGTERM, Signals.SIGCHLD);
    assertEquals("blocked everywhere true", next());
    String ready = next();
    int sleeper = Integer.parseInt(ready.substring("ready ".length()));

    long sender = kill("-USR1", pid);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      seen.add(next());
    }
    assertEquals(
        Set.of("USR1 from " + sender, "exit7 EXITED 7", "process exit 3"),
        seen,
        "the JVM's own child keeps its exit value: the loop reaps only its own");

    kill("-KILL", sleeper);
    assertEquals("sleep KILLED 9", next());

    sender = kill("-TERM", pid);
    assertEquals("TERM from " + sender, next());
    assertEquals("end", next());
    child = -1;
    assertEquals(new ChildStatus(pid, ChildStatus.How.EXITED, 0), ChildProcess.reap(pid, true));
  }

  @Test
  void aSignalNotBlockedInEveryThreadRunsItsDefaultActionInstead() throws Exception {
    int pid = startChild(); // SIGUSR1 blocked in the loop thread only
    assertEquals("blocked everywhere false", next());
    next(); // ready

    kill("-USR1", pid);

    child = -1;
    assertEquals(
        new ChildStatus(pid, ChildStatus.How.KILLED, Signals.SIGUSR1),
        ChildProcess.reap(pid, true));
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    assertEquals(List.of(), rest.stream().filter(l -> l.startsWith("USR1")).toList());
  }
}
