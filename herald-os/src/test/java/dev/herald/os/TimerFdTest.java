package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.Epoll;
import dev.herald.os.internal.EpollEvents;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerFdTest {
  @Test
  void periodicTimerBecomesReadableAndCountsExpirations() {
    try (TimerFd timer = TimerFd.create(TimerFd.Clock.MONOTONIC, TimerFd.NONBLOCK);
        Epoll epoll = Epoll.create();
        EpollEvents ready = EpollEvents.allocate(1)) {
      assertEquals(0, timer.expirations());
      assertEquals(Duration.ZERO, timer.remaining());
      epoll.add(timer.fd(), Epoll.IN, 9);
      timer.arm(Duration.ofMillis(5), Duration.ofMillis(5));
      assertTrue(timer.remaining().compareTo(Duration.ofMillis(5)) <= 0);
      assertEquals(1, epoll.await(ready, 2000));
      assertEquals(9, ready.data(0));
      assertTrue(timer.expirations() >= 1);
      timer.disarm();
      assertEquals(Duration.ZERO, timer.remaining());
    }
  }

  @Test
  void rejectsNonPositiveInitialExpiration() {
    try (TimerFd timer = TimerFd.create(TimerFd.Clock.BOOTTIME, 0)) {
      assertThrows(IllegalArgumentException.class, () -> timer.arm(Duration.ZERO, Duration.ZERO));
      assertThrows(
          IllegalArgumentException.class,
          () -> timer.arm(Duration.ofMillis(1), Duration.ofMillis(-1)));
    }
  }

  @Test
  void badFlagsFailWithEinval() {
    assertEquals(
        Errno.EINVAL,
        assertThrows(OsException.class, () -> TimerFd.create(TimerFd.Clock.REALTIME, 0x1)).errno());
  }
}
