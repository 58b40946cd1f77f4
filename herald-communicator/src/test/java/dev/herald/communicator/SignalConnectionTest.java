package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.SignalFd;
import dev.herald.os.Signals;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signal connections in this JVM, with signals sent to the loop thread (the test thread runs the
 * loop): the way a signal always reaches it. Signals sent to the process are tested in a child JVM
 * ({@link SignalChildJvmTest}).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalConnectionTest {
  /** A real-time signal: queued, so several of them are pending at once. */
  private static final int REAL_TIME = 40;

  private final Communicator communicator = new Communicator();

  @AfterEach
  void close() {
    communicator.close();
  }

  @Test
  void everySignalPendingIsReadInOneWakeUpWithTheSendersPid() {
    List<SignalFd.Info> received = new ArrayList<>();
    List<Long> rounds = new ArrayList<>();
    SignalConnection.open(
        communicator,
        REAL_TIME,
        (connection, info) -> {
          received.add(info);
          rounds.add(communicator.rounds());
          if (received.size() == 3) {
            connection.close();
          }
        });
    int loopThread = Signals.threadId();
    for (int i = 0; i < 3; i++) {
      Signals.raise(loopThread, REAL_TIME); // blocked here, so pending for the signalfd
    }

    assertTrue(communicator.run());

    assertEquals(3, received.size());
    assertEquals(List.of(1L, 1L, 1L), rounds, "all three in the first round");
    for (SignalFd.Info info : received) {
      assertEquals(REAL_TIME, info.signal());
      assertEquals(Signals.processId(), info.senderPid());
      assertEquals(-6, info.code()); // SI_TKILL: sent by tgkill
    }
  }

  @Test
  void aSecondListenerForTheSameSignalIsRefused() {
    SignalConnection first = SignalConnection.open(communicator, REAL_TIME, (c, info) -> {});

    CommunicatorException refused =
        assertThrows(
            CommunicatorException.class,
            () -> SignalConnection.open(communicator, REAL_TIME, (c, info) -> {}));
    assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, refused.kind());
    assertEquals(
        "signal 40 has a listener in this communicator already (connection \"signal 40\"); a"
            + " signal can be listened to once per communicator: share that listener, or close it"
            + " first.",
        refused.getMessage());

    try (Communicator other = new Communicator()) {
      SignalConnection.open(other, REAL_TIME, (c, info) -> {}).close(); // another loop may
    }
    first.close();
    SignalConnection.open(communicator, REAL_TIME, (c, info) -> {}).close(); // free again
  }

  @Test
  void signalsThatCannotBeBlockedOrThatTheJvmNeedsAreRefused() {
    for (int signal : new int[] {0, 9, 11, 12, 19, 65}) {
      CommunicatorException refused =
          assertThrows(
              CommunicatorException.class,
              () -> SignalConnection.open(communicator, signal, (c, info) -> {}));
      assertTrue(refused.getMessage().startsWith("signal " + signal + " cannot"), signal + "");
    }
    assertTrue(communicator.connections().isEmpty());
  }

  @Test
  void thisJvmsOwnThreadsDoNotBlockTheSignalSoAKillMightMissTheLoop() {
    SignalConnection connection = SignalConnection.open(communicator, REAL_TIME, (c, info) -> {});

    List<String> open = connection.threadsNotBlocking();

    // The loop thread blocks it; the JVM's threads started before (GC, compiler...) do not.
    assertFalse(open.isEmpty());
    String self = Signals.threadId() + " (";
    assertTrue(open.stream().noneMatch(t -> t.startsWith(self)), open.toString());
    connection.close();
  }

  @Test
  void onlyAChildOfThisProcessCanBeWatched() {
    ChildExits exits = ChildExits.open(communicator);

    CommunicatorException refused =
        assertThrows(CommunicatorException.class, () -> exits.watch(1, status -> {}));

    assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, refused.kind());
    assertEquals(
        "process 1 is not a child of this process, or was reaped already; only children can be"
            + " watched.",
        refused.getMessage());
    assertThrows(
        CommunicatorException.class,
        () -> SignalConnection.open(communicator, Signals.SIGCHLD, (c, info) -> {}));
    exits.close();
  }
}
