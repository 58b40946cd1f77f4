package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream's pause-duration syntax and the attempt schedules it gives (spec §3.4). */
class PauseDurationsTest {
  /**
   * The attempt times, in seconds, that a permanent connection that never connects makes: the first
   * after the initial wait, then each after the delay the previous one took.
   */
  private static List<Double> attempts(PauseDurations pauses, int count) {
    List<Double> times = new ArrayList<>();
    double time = pauses.initialWait();
    double delay = -1;
    while (times.size() < count) {
      times.add(time);
      double next = pauses.nextDelay();
      if (next > 0) {
        delay = next;
      }
      if (delay <= 0) {
        break; // no delay was ever set: a single attempt
      }
      time += delay;
    }
    return times;
  }

  @Test
  void theDefaultRetriesEveryMinute() {
    assertEquals(List.of(0.0, 60.0, 120.0, 180.0), attempts(PauseDurations.parse("60"), 4));
    assertEquals(List.of(0.0, 60.0, 120.0), attempts(PauseDurations.parse(""), 3));
    assertEquals(List.of(0.0, 60.0, 120.0), attempts(PauseDurations.parse(" , ,"), 3));
  }

  @Test
  void aListIsWalkedThenItsLastDelayRepeats() {
    assertEquals(
        List.of(0.0, 1.0, 3.0, 7.0, 15.0, 23.0, 31.0),
        attempts(PauseDurations.parse("1,2,4,8"), 7));
  }

  @Test
  void aNegativeFirstEntryIsOnlyTheInitialWait() {
    assertEquals(List.of(5.0, 6.0, 8.0, 10.0, 12.0), attempts(PauseDurations.parse("-5,1,2"), 5));
    assertEquals(List.of(0.0, 1.0, 2.0), attempts(PauseDurations.parse("0,1"), 3));
  }

  @Test
  void negativeMicrosecondsWaitBeforeTheFirstAttemptToo() {
    assertEquals(List.of(5.0, 10.0, 15.0), attempts(PauseDurations.ofMicros(-5_000_000), 3));
    assertEquals(List.of(0.0, 2.5, 5.0), attempts(PauseDurations.ofMicros(2_500_000), 3));
  }

  @Test
  void zeroMakesASingleAttempt() {
    assertEquals(List.of(0.0), attempts(PauseDurations.parse("0"), 5));
    assertEquals(List.of(0.0), attempts(PauseDurations.ofMicros(0), 5));
  }

  @Test
  void restartGoesBackToTheStartOfTheList() {
    PauseDurations pauses = PauseDurations.parse("-5,1,2");
    assertEquals(1.0, pauses.nextDelay());
    assertEquals(2.0, pauses.nextDelay());
    assertEquals(-1.0, pauses.nextDelay());
    pauses.restart();
    assertEquals(1.0, pauses.nextDelay()); // P[0] stays the initial wait only

    PauseDurations single = PauseDurations.parse("-3");
    assertEquals(3.0, single.nextDelay()); // a single entry is also the delay
    single.restart();
    assertEquals(3.0, single.nextDelay());
  }

  @Test
  void unitsAndSums() {
    assertEquals(
        List.of(1.0, 60.0, 3_600.0, 86_400.0, 604_800.0, 2_592_000.0, 31_536_000.0),
        PauseDurations.parse("1s,1m,1h,1d,1w,1month,1y").pauses());
    assertEquals(
        List.of(90.0, 120.0, 0.5, 0.25, -30.0, 7_200.0),
        PauseDurations.parse("1m 30s, 2 Minutes ,.5,0.25 seconds,-0.5m,2HOURS").pauses());
    assertEquals(List.of(5.0, 3.0), PauseDurations.parse("5,,3,").pauses());
  }

  @Test
  void anInvalidDurationIsRefusedWithUpstreamsText() {
    for (String bad : List.of("x", "5x", "1..2", "1e3", "-", "s", "1,two,3", "5 mo")) {
      CommunicatorException e =
          assertThrows(CommunicatorException.class, () -> PauseDurations.parse(bad), bad);
      assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, e.kind());
    }
    assertEquals(
        "pause duration \"two\" is not valid.",
        assertThrows(CommunicatorException.class, () -> PauseDurations.parse("1, two ,3"))
            .getMessage());
  }

  @Test
  void atMost254Pauses() {
    assertEquals(254, PauseDurations.parse("1,".repeat(254)).pauses().size());
    CommunicatorException e =
        assertThrows(CommunicatorException.class, () -> PauseDurations.parse("1,".repeat(255)));
    assertEquals("too many pause durations, limit is 255.", e.getMessage());
  }
}
