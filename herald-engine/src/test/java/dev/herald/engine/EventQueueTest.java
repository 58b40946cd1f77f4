package dev.herald.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The queue on its own: capacity, drops, and closing while producers or the consumer wait. */
@Timeout(30)
class EventQueueTest {
  @Test
  void holdsExactlyItsCapacityEvenWhenNotAPowerOfTwo() {
    EventQueue queue = new EventQueue(3, Overflow.DROP_NEWEST, "q", null);
    for (int i = 0; i < 5; i++) {
      queue.put(new byte[] {(byte) i});
    }
    Object[] out = new Object[8];
    assertEquals(3, queue.drain(out));
    assertEquals(2, ((byte[]) out[2])[0]);
    assertEquals(2, queue.stats(false).dropped());
    assertTrue(queue.put(new byte[] {9}));
  }

  @Test
  void closeReleasesAWaitingConsumerAndABlockedProducer() throws Exception {
    EventQueue queue = new EventQueue(1, Overflow.BLOCK, "q", null);
    queue.put(new byte[0]);
    boolean[] producerResult = {true};
    CountDownLatch producing = new CountDownLatch(1);
    Thread producer =
        Thread.ofPlatform()
            .start(
                () -> {
                  producing.countDown();
                  producerResult[0] = queue.put(new byte[1]); // full: waits
                });
    producing.await();
    queue.close();
    producer.join();
    assertFalse(producerResult[0], "a put into a closed queue is discarded");

    EventQueue empty = new EventQueue(4, Overflow.BLOCK, "empty", null);
    int[] taken = {0};
    Thread consumer = Thread.ofPlatform().start(() -> taken[0] = empty.take(new Object[4]));
    empty.close();
    consumer.join();
    assertEquals(-1, taken[0]);
  }
}
