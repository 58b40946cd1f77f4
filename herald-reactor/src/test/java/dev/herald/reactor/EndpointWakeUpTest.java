package dev.herald.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The remote endpoint's wake-ups are coalesced, and closures queued at close still run. */
class EndpointWakeUpTest {
  @Test
  void aBurstOfClosuresWritesTheEventFdOnce() throws IOException {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 100; i++) {
        manager.remoteEndpoint().fire(ops -> ran.incrementAndGet());
      }
      assertEquals(1, eventFdCount(manager.endpointFd()));
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(100, ran.get());
      assertEquals(0, eventFdCount(manager.endpointFd()));
      // The next closure wakes the loop again.
      manager.remoteEndpoint().fire(ops -> ran.incrementAndGet());
      assertEquals(1, eventFdCount(manager.endpointFd()));
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(101, ran.get());
    }
  }

  @Test
  @Timeout(60)
  void closuresFiredFromManyThreadsWhileTheLoopRunsAreNeverStranded() throws Exception {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      Thread loop = Thread.ofPlatform().start(manager::runUntilStopped);
      int threads = 4;
      int each = 20_000;
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(threads * each);
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        senders.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < each; i++) {
                        manager
                            .remoteEndpoint()
                            .fire(
                                ops -> {
                                  ran.incrementAndGet();
                                  all.countDown();
                                });
                      }
                    }));
      }
      for (Thread sender : senders) {
        sender.join();
      }
      // A lost wake-up would leave closures queued with the loop asleep in epoll_wait.
      assertTrue(all.await(30, TimeUnit.SECONDS), "ran " + ran.get() + " of " + threads * each);
      manager.remoteEndpoint().stop();
      loop.join();
    }
  }

  @Test
  void closuresStillQueuedAtCloseRunBeforeItCloses() {
    EventManager<EventSubscriber> manager = new EventManager<>();
    List<String> order = new ArrayList<>();
    manager.remoteEndpoint().fire(ops -> order.add("first"));
    manager.remoteEndpoint().fire(ops -> order.add("second " + ops.subscriberIds().size()));
    manager.close();
    assertEquals(List.of("first", "second 0"), order);
    assertEquals(
        ReactorException.Kind.CHANNEL_SEND,
        assertThrows(ReactorException.class, () -> manager.remoteEndpoint().fire(ops -> {}))
            .kind());
  }

  @Test
  void aClosureFailingAtCloseIsThrownAfterTheOthersRanAndEverythingClosed() {
    EventManager<EventSubscriber> manager = new EventManager<>();
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    AtomicInteger ran = new AtomicInteger();
    manager.remoteEndpoint().fire(ops -> ran.incrementAndGet());
    manager
        .remoteEndpoint()
        .fire(
            ops -> {
              throw boom;
            });
    manager.remoteEndpoint().fire(ops -> ran.incrementAndGet());
    assertSame(boom, assertThrows(IllegalArgumentException.class, manager::close));
    assertEquals(2, ran.get());
    assertThrows(IllegalStateException.class, manager::run);
  }

  @Test
  void readingTheTablesFromAnotherThreadWhileTheLoopRunsIsRefused() throws Exception {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      SubscriberId id = manager.addSubscriber(new SemanticsTest.Probe());
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      manager
          .remoteEndpoint()
          .fire(
              ops -> {
                inside.countDown();
                awaitQuietly(release);
              });
      Thread loop = Thread.ofPlatform().start(() -> manager.runWithTimeout(-1));
      assertTrue(inside.await(10, TimeUnit.SECONDS));
      assertThrows(IllegalStateException.class, manager::subscriberIds);
      assertThrows(IllegalStateException.class, () -> manager.watchList(id));
      assertThrows(IllegalStateException.class, () -> manager.subscriber(id));
      assertThrows(IllegalStateException.class, () -> manager.eventOps(id));
      release.countDown();
      loop.join();
      assertEquals(List.of(id), manager.subscriberIds()); // fine between runs
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The eventfd's counter, as the kernel reports it in /proc/self/fdinfo. */
  private static long eventFdCount(int fd) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
      if (line.startsWith("eventfd-count:")) {
        return Long.parseLong(line.substring("eventfd-count:".length()).trim(), 16);
      }
    }
    throw new AssertionError("fd " + fd + " is not an eventfd");
  }
}
