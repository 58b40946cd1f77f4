package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timers as connections without fd: recurring, at a date, and {@code timer(0)}. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerConnectionTest {
  private final Communicator communicator = new Communicator();

  @AfterEach
  void close() {
    communicator.close();
  }

  @Test
  void timerZeroFiresOnceAtTheNextRoundThenIsInert() {
    List<Long> zeroRounds = new ArrayList<>();
    List<Long> tickRounds = new ArrayList<>();
    Connection zero =
        Connection.timer(
            "zero", 0, ConnectionHandler.onTimeout(c -> zeroRounds.add(communicator.rounds())));
    communicator.add(zero);
    communicator.add(
        Connection.timer(
            "tick",
            20_000,
            ConnectionHandler.onTimeout(
                c -> {
                  tickRounds.add(communicator.rounds());
                  if (tickRounds.size() == 5) {
                    c.remove();
                  }
                })));

    // Once only the inert timer(0) is left, nothing can happen: run() says so.
    assertFalse(communicator.run());

    assertEquals(List.of(1L), zeroRounds);
    assertEquals(5, tickRounds.size());
    assertEquals(-1, zero.timeoutDate());
    assertEquals(List.of(zero), communicator.connections());
  }

  @Test
  void aTimerAtADateFiresOnceThenMayBeSetAgain() {
    List<Instant> fired = new ArrayList<>();
    Instant first = Instant.now().plusMillis(80);
    Connection timer =
        Connection.timerAt(
            "date",
            first,
            ConnectionHandler.onTimeout(
                c -> {
                  fired.add(Instant.now());
                  if (fired.size() == 1) {
                    c.setTimeoutDate(TimeoutSchedule.wallMicros() + 30_000); // again, once
                  } else {
                    c.remove();
                  }
                }));
    assertEquals(
        first.toEpochMilli() * 1_000 + first.getNano() / 1_000 % 1_000, timer.timeoutDate());
    communicator.add(timer);

    assertTrue(communicator.run());

    assertEquals(2, fired.size());
    assertFalse(fired.getFirst().isBefore(first), "not before its date");
    assertEquals(-1, timer.timeoutDate());
  }

  @Test
  void aDateInThePastFiresAtTheNextRound() {
    List<Long> rounds = new ArrayList<>();
    communicator.add(
        Connection.timerAt(
            "past",
            Instant.EPOCH.minusSeconds(5),
            ConnectionHandler.onTimeout(
                c -> {
                  rounds.add(communicator.rounds());
                  c.remove();
                })));

    assertTrue(communicator.run());

    assertEquals(List.of(1L), rounds);
  }
}
