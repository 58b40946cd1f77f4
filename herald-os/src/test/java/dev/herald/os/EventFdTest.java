package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventFdTest {
  @Test
  void countsAndResets() {
    try (EventFd efd = EventFd.create(EventFd.NONBLOCK)) {
      assertEquals(0, efd.take());
      efd.add(2);
      efd.add(5);
      assertEquals(7, efd.take());
      assertEquals(0, efd.take());
      assertTrue(efd.isNonBlocking());
      assertTrue(efd.isCloseOnExec());
    }
  }

  @Test
  void semaphoreModeTakesOneAtATime() {
    try (EventFd efd = EventFd.create(EventFd.NONBLOCK | EventFd.SEMAPHORE)) {
      efd.add(2);
      assertEquals(1, efd.take());
      assertEquals(1, efd.take());
      assertEquals(0, efd.take());
    }
  }

  @Test
  void overflowIsEagainAndInvalidValueEinval() {
    try (EventFd efd = EventFd.create(EventFd.NONBLOCK)) {
      efd.add(0xFFFF_FFFF_FFFF_FFFEL);
      assertEquals(Errno.EAGAIN, assertThrows(OsException.class, () -> efd.add(1)).errno());
      assertEquals(Errno.EINVAL, assertThrows(OsException.class, () -> efd.add(-1L)).errno());
    }
  }

  @Test
  void badFlagsFailWithEinval() {
    assertEquals(Errno.EINVAL, assertThrows(OsException.class, () -> EventFd.create(0x40)).errno());
  }

  @Test
  void closedFdIsNotTouchedAgain() {
    EventFd efd = EventFd.create(0);
    efd.close();
    assertThrows(IllegalStateException.class, () -> efd.add(1));
    assertFalse(efd.toString().isEmpty());
  }
}
