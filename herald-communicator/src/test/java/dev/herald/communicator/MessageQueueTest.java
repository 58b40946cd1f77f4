package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Message queues and thread-done connections between real threads and a loop on its own thread. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MessageQueueTest {
  private static final int SENDERS = 4;

  private final Loop loop = new Loop().start();

  @AfterEach
  void close() {
    loop.close();
  }

  /** A message: who sent it and its number in that sender's sequence. */
  private record Numbered(int sender, int number) {}

  /**
   * Senders send as fast as they can while {@code closer} closes the queue; every send that
   * returned true must reach the receiver, in each sender's order, and none may arrive after close
   * returned.
   */
  private void closeWhileSending(boolean closeOnTheLoop) throws Exception {
    List<Numbered> received = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch enough = new CountDownLatch(1);
    MessageQueue<Numbered> queue =
        loop.call(
            () ->
                MessageQueue.<Numbered>toLoop(
                    loop.communicator,
                    "workers",
                    m -> {
                      received.add(m);
                      if (received.size() == 20_000) {
                        enough.countDown();
                      }
                    }));
    int[] accepted = new int[SENDERS];
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      int sender = s;
      senders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int n = 0; queue.send(new Numbered(sender, n)); n++) {
                      accepted[sender]++;
                    }
                  }));
    }
    assertTrue(enough.await(20, TimeUnit.SECONDS));
    if (closeOnTheLoop) {
      loop.run(queue::close);
    } else {
      queue.close(); // from this thread: the rest is handed over on the loop
    }
    for (Thread sender : senders) {
      sender.join();
    }
    loop.sync();
    int sizeAfterClose = received.size();

    int total = 0;
    for (int s = 0; s < SENDERS; s++) {
      total += accepted[s];
      int sender = s;
      List<Integer> numbers =
          received.stream().filter(m -> m.sender() == sender).map(Numbered::number).toList();
      assertEquals(accepted[s], numbers.size(), "sender " + s + ": every accepted send arrives");
      for (int n = 0; n < numbers.size(); n++) {
        assertEquals(n, numbers.get(n), "sender " + s + " in order");
      }
    }
    assertEquals(total, received.size());
    assertFalse(queue.send(new Numbered(0, -1)));
    loop.sync();
    assertEquals(sizeAfterClose, received.size());
    assertTrue(
        loop.call(
            () ->
                loop.communicator.connections().stream().noneMatch(c -> c == queue.connection())));
  }

  @Test
  void noMessageIsLostWhenTheLoopClosesWhileThreadsSend() throws Exception {
    closeWhileSending(true);
  }

  @Test
  void noMessageIsLostWhenAnotherThreadClosesWhileThreadsSend() throws Exception {
    closeWhileSending(false);
  }

  @Test
  void theLoopSendsToAWorkerThreadThatTakesUntilClosed() throws Exception {
    MessageQueue<Integer> jobs = MessageQueue.toThread();
    MessageQueue<String> results =
        loop.call(() -> MessageQueue.toLoop(loop.communicator, "results", r -> {}));
    CompletableFuture<List<Integer>> taken = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              List<Integer> all = new ArrayList<>();
              for (Integer job = jobs.take(); job != null; job = jobs.take()) {
                all.add(job);
              }
              taken.complete(all);
            });
    loop.run(
        () -> {
          for (int i = 0; i < 10_000; i++) {
            assertTrue(jobs.send(i));
          }
          jobs.close(); // the worker still takes all 10 000, then null
        });

    List<Integer> all = taken.get(20, TimeUnit.SECONDS);
    assertEquals(10_000, all.size());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i));
    }
    assertNull(jobs.take());
    assertFalse(jobs.send(1));
    IllegalStateException loopSide = assertThrows(IllegalStateException.class, results::take);
    assertTrue(loopSide.getMessage().contains("\"results\""));
  }

  @Test
  void aWorkerThatIsDoneTellsTheLoop() throws Exception {
    Set<Thread> done = ConcurrentHashMap.newKeySet();
    AtomicInteger onLoop = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(3);
    ThreadDone finished =
        loop.call(
            () ->
                ThreadDone.open(
                    loop.communicator,
                    "workers",
                    thread -> {
                      if (loop.communicator.isLoopThread()) {
                        onLoop.incrementAndGet();
                      }
                      done.add(thread);
                      all.countDown();
                    }));
    Set<Thread> workers = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      workers.add(Thread.ofPlatform().start(finished::done));
    }

    assertTrue(all.await(10, TimeUnit.SECONDS));
    assertEquals(workers, done);
    assertEquals(3, onLoop.get());
    loop.run(finished::close);
    assertFalse(finished.done());
  }

  @Test
  void aQueueWhoseConnectionLeavesTheLoopClosesWithoutLosingMessages() {
    List<Integer> received = new ArrayList<>();
    MessageQueue<Integer> queue =
        loop.call(() -> MessageQueue.toLoop(loop.communicator, "removed", received::add));

    loop.run(
        () -> {
          assertTrue(queue.send(1));
          assertTrue(queue.send(2));
          queue.connection().remove(); // as when its communicator closes
        });

    assertEquals(List.of(1, 2), loop.call(() -> List.copyOf(received)));
    assertTrue(queue.isClosed());
    assertFalse(queue.send(3)); // refused, not an error about a closed eventfd
  }
}
