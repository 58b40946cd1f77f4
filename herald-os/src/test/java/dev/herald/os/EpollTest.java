package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.Epoll;
import dev.herald.os.internal.EpollEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpollTest {
  @Test
  void reportsReadyFdWithItsDataWord() {
    try (Epoll epoll = Epoll.create();
        EventFd efd = EventFd.create(EventFd.NONBLOCK);
        EpollEvents ready = EpollEvents.allocate(4)) {
      long data = (0xFFFF_FFFEL << 32) | efd.fd();
      epoll.add(efd.fd(), Epoll.IN, data);
      assertEquals(0, epoll.await(ready, 0));
      efd.add(3);
      assertEquals(1, epoll.await(ready, 1000));
      assertEquals(Epoll.IN, ready.events(0));
      assertEquals(data, ready.data(0));
    }
  }

  @Test
  void modifyReplacesMaskAndData() {
    try (Epoll epoll = Epoll.create();
        EventFd efd = EventFd.create(EventFd.NONBLOCK);
        EpollEvents ready = EpollEvents.allocate(4)) {
      epoll.add(efd.fd(), Epoll.IN, 1);
      epoll.modify(efd.fd(), Epoll.OUT, 2);
      assertEquals(1, epoll.await(ready, 0));
      assertEquals(Epoll.OUT, ready.events(0));
      assertEquals(2, ready.data(0));
      epoll.delete(efd.fd());
      assertEquals(0, epoll.await(ready, 0));
    }
  }

  @Test
  void kernelErrorsCarryTheirErrno() {
    try (Epoll epoll = Epoll.create();
        EventFd efd = EventFd.create(0)) {
      epoll.add(efd.fd(), Epoll.IN, 0);
      assertEquals(
          Errno.EEXIST,
          assertThrows(OsException.class, () -> epoll.add(efd.fd(), Epoll.IN, 0)).errno());
      OsException notThere =
          assertThrows(OsException.class, () -> epoll.modify(999_999, Epoll.IN, 0));
      assertEquals(Errno.EBADF, notThere.errno());
      try (EventFd other = EventFd.create(0)) {
        OsException enoent = assertThrows(OsException.class, () -> epoll.delete(other.fd()));
        assertEquals(Errno.ENOENT, enoent.errno());
        assertTrue(
            enoent.getMessage().contains("epoll_ctl(DEL) on fd " + other.fd()),
            enoent.getMessage());
        assertTrue(enoent.getMessage().contains("ENOENT (No such file or directory)"));
      }
    }
  }

  @Test
  void regularFileIsRefusedWithEperm(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    try (Epoll epoll = Epoll.create();
        OwnedFd plain = TestFiles.openReadOnly(file)) {
      // A regular file is always "ready"; epoll refuses it rather than report it forever.
      assertEquals(
          Errno.EPERM,
          assertThrows(OsException.class, () -> epoll.add(plain.fd(), Epoll.IN, 0)).errno());
    }
  }

  @Test
  void zeroCapacityWaitFailsWithEinval() {
    try (Epoll epoll = Epoll.create();
        EpollEvents none = EpollEvents.allocate(0)) {
      assertEquals(
          Errno.EINVAL, assertThrows(OsException.class, () -> epoll.await(none, 0)).errno());
    }
  }

  @Test
  void badCreateFlagsFailWithEinval() {
    assertEquals(Errno.EINVAL, assertThrows(OsException.class, () -> Epoll.create(0x1)).errno());
  }

  @Test
  void closedEpollIsReportedNotReused() {
    Epoll epoll = Epoll.create();
    epoll.close();
    epoll.close(); // idempotent
    try (EpollEvents ready = EpollEvents.allocate(1)) {
      assertThrows(IllegalStateException.class, () -> epoll.await(ready, 0));
    }
  }

  @Test
  void capacityIsBoundedByTheKernelMaximum() {
    assertEquals(
        "amd64".equals(System.getProperty("os.arch")) ? 178_956_970 : Integer.MAX_VALUE / 16,
        EpollEvents.MAX_CAPACITY);
    assertThrows(
        IllegalArgumentException.class, () -> EpollEvents.allocate(EpollEvents.MAX_CAPACITY + 1));
    assertThrows(IllegalArgumentException.class, () -> EpollEvents.allocate(-1));
  }

  @Test
  void timeoutWaitsAndReturnsZero() {
    try (Epoll epoll = Epoll.create();
        EpollEvents ready = EpollEvents.allocate(1)) {
      long start = System.nanoTime();
      assertEquals(0, epoll.await(ready, 50));
      assertTrue(System.nanoTime() - start >= 40_000_000L);
    }
  }
}
