package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.os.internal.Epoll;
import dev.herald.os.internal.EpollEvents;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SignalFdTest {
  @Test
  void threadDirectedSignalArrivesAsRecord() throws Exception {
    AtomicReference<Object> outcome = new AtomicReference<>();
    // A fresh platform thread: its mask is ours to change without touching the JVM's threads.
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (SignalFd signals = SignalFd.create(Signals.SIGUSR1);
                      Epoll epoll = Epoll.create();
                      EpollEvents ready = EpollEvents.allocate(1)) {
                    assertNull(signals.take());
                    epoll.add(signals.fd(), Epoll.IN, 1);
                    Signals.raise(Signals.threadId(), Signals.SIGUSR1);
                    assertEquals(1, epoll.await(ready, 2000));
                    SignalFd.Info info = signals.take();
                    assertEquals(Signals.SIGUSR1, info.signal());
                    assertEquals(Signals.processId(), info.senderPid());
                    assertEquals(-6, info.code()); // SI_TKILL
                    assertNull(signals.take());
                    outcome.set("ok");
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                });
    thread.join();
    if (outcome.get() instanceof Throwable t) {
      throw new AssertionError(t);
    }
    assertEquals("ok", outcome.get());
  }

  @Test
  void invalidSignalNumbersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Signals.block(0));
    assertThrows(IllegalArgumentException.class, () -> Signals.block(65));
    assertEquals(
        Errno.EINVAL,
        assertThrows(OsException.class, () -> Signals.raise(Signals.threadId(), 99)).errno());
  }
}
