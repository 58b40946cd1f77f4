package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.EventFd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timer rules of upstream's communicator (spec §3.3), measured against the clock: a tick may be
 * late by up to {@link #TOLERANCE_MS} on a loaded machine, never early.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerRulesTest {
  private static final long TOLERANCE_MS = 150;

  private final Communicator communicator = new Communicator();

  @AfterEach
  void close() {
    communicator.close();
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void assertWithin(long expectedMs, long actualMs) {
    assertTrue(
        actualMs >= expectedMs && actualMs <= expectedMs + TOLERANCE_MS,
        "expected within ["
            + expectedMs
            + ", "
            + (expectedMs + TOLERANCE_MS)
            + "] ms, was "
            + actualMs);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aDelayTicksOnAFixedScheduleWithoutDrift() {
    List<Long> ticks = new ArrayList<>();
    long start = System.nanoTime();
    communicator.add(
        Connection.timer(
            "tick",
            50_000,
            ConnectionHandler.onTimeout(
                c -> {
                  ticks.add(millisSince(start));
                  sleep(10); // work that a drifting schedule would add up
                  if (ticks.size() == 6) {
                    c.remove();
                  }
                })));

    assertTrue(communicator.run());

    for (int k = 1; k <= 6; k++) {
      assertWithin(50L * k, ticks.get(k - 1));
    }
  }

  @Test
  void missedTicksCollapseIntoOneLateCall() {
    List<Long> ticks = new ArrayList<>();
    long start = System.nanoTime();
    communicator.add(
        Connection.timer(
            "slow",
            50_000,
            ConnectionHandler.onTimeout(
                c -> {
                  ticks.add(millisSince(start));
                  if (ticks.size() == 1) {
                    sleep(180); // misses the ticks at 100, 150 and 200 ms
                  } else if (ticks.size() == 4) {
                    c.remove();
                  }
                })));

    assertTrue(communicator.run());

    assertWithin(50, ticks.get(0));
    // One late call for the missed ticks, right after the slow one (about 230 ms)...
    assertWithin(230, ticks.get(1));
    // ... then the schedule goes on at 50 ms steps from the start: each later call in a later
    // step than the one before (a catch-up would call three times at once), none early.
    for (int i = 2; i < ticks.size(); i++) {
      long nextStep = (ticks.get(i - 1) / 50 + 1) * 50;
      assertWithin(nextStep, ticks.get(i));
    }
  }

  @Test
  void aTickExactlyOnTheScheduleFiresOnce() {
    TimeoutSchedule schedule = new TimeoutSchedule();
    schedule.setDelay(100, 1_000); // ticks at 101 000, 201 000, ... ns
    assertEquals(101_000, schedule.due(0, 0));
    schedule.advance(301_000); // exactly on a tick: upstream would leave the next tick there
    assertEquals(401_000, schedule.due(0, 0));
    schedule.advance(401_001);
    assertEquals(501_000, schedule.due(0, 0));
    schedule.advance(450_000); // not due: unchanged
    assertEquals(501_000, schedule.due(0, 0));
  }

  @Test
  void aOneShotDateFiresOnceAndIsResetBeforeTheCallback() {
    List<Long> dates = new ArrayList<>();
    List<Long> at = new ArrayList<>();
    long start = System.nanoTime();
    Connection once =
        Connection.timer(
            "once",
            ConnectionHandler.onTimeout(
                c -> {
                  at.add(millisSince(start));
                  dates.add(c.timeoutDate());
                }));
    once.setTimeoutDate(TimeoutSchedule.wallMicros() + 150_000);
    communicator.add(once);

    // Once it fired, the timer is inert: nothing can happen any more.
    assertFalse(communicator.run());

    assertEquals(List.of(-1L), dates);
    assertWithin(150, at.get(0));
  }

  @Test
  void aDateSetAgainInTheCallbackFiresAgain() {
    List<Long> at = new ArrayList<>();
    long start = System.nanoTime();
    Connection twice =
        Connection.timer(
            "twice",
            ConnectionHandler.onTimeout(
                c -> {
                  at.add(millisSince(start));
                  if (at.size() == 1) {
                    c.setTimeoutDate(TimeoutSchedule.wallMicros() + 100_000);
                  } else {
                    c.remove();
                  }
                }));
    twice.setTimeoutDate(TimeoutSchedule.wallMicros() + 50_000);
    communicator.add(twice);

    assertTrue(communicator.run());

    assertWithin(50, at.get(0));
    assertWithin(at.get(0) + 100, at.get(1));
  }

  @Test
  void aDateTakesPrecedenceOverTheDelay() {
    List<Long> at = new ArrayList<>();
    long start = System.nanoTime();
    Connection both =
        Connection.timer(
            "both",
            30_000,
            ConnectionHandler.onTimeout(
                c -> {
                  at.add(millisSince(start));
                  if (at.size() == 2) {
                    c.remove();
                  }
                }));
    both.setTimeoutDate(TimeoutSchedule.wallMicros() + 200_000);
    communicator.add(both);

    assertTrue(communicator.run());

    // The ticks at 30, 60, ... wait for the date; then the delay resumes on its own schedule.
    assertWithin(200, at.get(0));
    assertWithin((at.get(0) / 30 + 1) * 30, at.get(1));
  }

  @Test
  void timerZeroFiresOnceAtTheNextRound() {
    List<Long> rounds = new ArrayList<>();
    communicator.add(
        Connection.timer(
            "now", 0, ConnectionHandler.onTimeout(c -> rounds.add(communicator.rounds()))));

    assertFalse(communicator.run()); // then only an inert timer is left

    assertEquals(List.of(1L), rounds);
  }

  @Test
  void aDisabledTimerIsNeitherCheckedNorAdvancedAndAnOverdueTickFiresOnceOnEnable() {
    List<Long> ticks = new ArrayList<>();
    long start = System.nanoTime();
    Connection timer =
        Connection.timer(
            "paused",
            50_000,
            ConnectionHandler.onTimeout(
                c -> {
                  ticks.add(millisSince(start));
                  if (ticks.size() == 3) {
                    c.remove();
                  }
                }));
    timer.setEnabled(false);
    communicator.add(timer);
    Connection enabler =
        Connection.timer(
            "enabler",
            ConnectionHandler.onTimeout(
                c -> {
                  timer.setEnabled(true);
                  c.remove();
                }));
    enabler.setTimeoutDate(TimeoutSchedule.wallMicros() + 220_000);
    communicator.add(enabler);

    assertTrue(communicator.run());

    // Nothing while disabled; the overdue tick (due at 50 ms) once at about 220 ms, then 250, 300.
    assertWithin(220, ticks.get(0));
    assertWithin((ticks.get(0) / 50 + 1) * 50, ticks.get(1));
    assertWithin((ticks.get(1) / 50 + 1) * 50, ticks.get(2));
  }

  @Test
  void theTimeoutComesAfterTheConnectionsIoInTheSameRound() {
    List<String> log = new ArrayList<>();
    Probe probe = new Probe("io", log, communicator);
    Connection connection = probe.readableConnection(100);
    connection.setTimeoutDate(0); // long past
    probe.onTimeout = Connection::remove;
    communicator.add(connection);

    assertTrue(communicator.run());

    assertEquals(List.of("io:readable@1", "io:timeout@1", "io:removed@1"), log);
  }

  @Test
  void oneTimerServesManyConnectionsInDueOrder() {
    List<String> fired = new ArrayList<>();
    long start = System.nanoTime();
    long wall = TimeoutSchedule.wallMicros();
    int[] offsets = {120, 40, 80};
    for (int offset : offsets) {
      Connection timer =
          Connection.timer(
              "t" + offset,
              ConnectionHandler.onTimeout(
                  c -> {
                    fired.add(c.name() + "@" + millisSince(start));
                    c.remove();
                  }));
      timer.setTimeoutDate(wall + offset * 1_000L);
      communicator.add(timer);
    }

    assertTrue(communicator.run());

    assertEquals(List.of("t40", "t80", "t120"), fired.stream().map(s -> s.split("@")[0]).toList());
    for (int i = 0; i < 3; i++) {
      long expected = 40L * (i + 1);
      assertWithin(expected, Long.parseLong(fired.get(i).split("@")[1]));
    }
  }

  @Test
  void badValuesAreRefusedWithUpstreamsTexts() {
    Connection connection = Connection.timer("t", ConnectionHandler.onTimeout(c -> {}));
    for (long bad : new long[] {9, 0, -2, Long.MIN_VALUE}) {
      CommunicatorException e =
          assertThrows(CommunicatorException.class, () -> connection.setTimeoutDelay(bad));
      assertEquals(CommunicatorException.Kind.PARAMETER_ERROR, e.kind());
      assertEquals(
          "connection::set_timeout_delay(): timeout_us parameter cannot be less than 10 unless it"
              + " is exactly -1, "
              + bad
              + " is not valid.",
          e.getMessage());
    }
    connection.setTimeoutDelay(10);
    connection.setTimeoutDelay(-1);
    connection.setTimeoutDelay(Long.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, connection.timeoutDelay());

    CommunicatorException date =
        assertThrows(CommunicatorException.class, () -> connection.setTimeoutDate(-2));
    assertEquals(
        "connection::set_timeout_date(): date_us parameter cannot be less than -1, -2 is not valid.",
        date.getMessage());
    connection.setTimeoutDate(-1);
    connection.setTimeoutDate(Long.MAX_VALUE);

    for (int bad : new int[] {-1, 256}) {
      CommunicatorException e =
          assertThrows(CommunicatorException.class, () -> connection.setPriority(bad));
      assertEquals(CommunicatorException.Kind.PARAMETER_ERROR, e.kind());
      assertEquals(
          "connection::set_priority(): priority out of range, this instance of connection accepts"
              + " priorities between 0 and 255.",
          e.getMessage());
    }
    connection.setPriority(0);
    connection.setPriority(255);
    assertEquals(255, connection.priority());

    assertThrows(
        CommunicatorException.class,
        () -> Connection.timer("t", 5, ConnectionHandler.onTimeout(c -> {})));
    assertThrows(IllegalStateException.class, () -> connection.setWriting(true));
  }

  @Test
  void defaultsOfANewConnection() {
    Connection timer = Connection.timer("t", ConnectionHandler.onTimeout(c -> {}));
    assertEquals(Connection.DEFAULT_PRIORITY, timer.priority());
    assertEquals(100, timer.priority());
    assertTrue(timer.isEnabled());
    assertFalse(timer.isDone());
    assertEquals(-1, timer.timeoutDelay());
    assertEquals(-1, timer.timeoutDate());
    assertEquals(-1, timer.fdNumber());
    assertFalse(timer.isReading());
    try (EventFd fd = EventFd.create(EventFd.NONBLOCK)) {
      Connection withFd = Connection.of("fd", fd, new ConnectionHandler() {});
      assertTrue(withFd.isReading());
      assertFalse(withFd.isWriting());
      assertEquals(fd.fd(), withFd.fdNumber());
    }
  }
}
