package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalsSendTest {
  @Test
  void aSignalReachesAnotherProcess() throws Exception {
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      Signals.send((int) child.pid(), 0); // exists and may be signalled
      Signals.send((int) child.pid(), Signals.SIGTERM);
      assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child ends on SIGTERM");
      assertEquals(128 + Signals.SIGTERM, child.exitValue());
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aProcessThatIsGoneIsEsrch() throws Exception {
    Process child = new ProcessBuilder("true").start();
    child.waitFor(); // reaped by the JDK: the pid names no process now
    OsException e =
        assertThrows(OsException.class, () -> Signals.send((int) child.pid(), Signals.SIGTERM));
    assertEquals(Errno.ESRCH, e.errno());
    assertTrue(e.getMessage().contains("process " + child.pid()), e.getMessage());
  }

  @Test
  void groupsAndBadSignalsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Signals.send(0, Signals.SIGTERM));
    assertThrows(IllegalArgumentException.class, () -> Signals.send(-1, Signals.SIGTERM));
    assertEquals(
        Errno.EINVAL,
        assertThrows(OsException.class, () -> Signals.send(Signals.processId(), 99)).errno());
  }
}
