package dev.herald.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.reactor.SemanticsTest.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A number removed from epoll by another subscriber, closed, and reused for a new owner's fd, is
 * the new owner's: removing the old owner must not touch it (upstream deletes it; a documented
 * fix).
 */
class FdReuseTest {
  @Test
  void removingTheOldOwnerLeavesTheReusedNumbersNewOwnerRegistered() {
    try (EventManager<Probe> manager = new EventManager<>()) {
      Counter first = new Counter();
      int number = first.fd();
      Probe oldOwner = new Probe(first);
      SubscriberId oldId = manager.addSubscriber(oldOwner);
      Probe remover = new Probe();
      SubscriberId removerId = manager.addSubscriber(remover);

      // Another subscriber removes the old owner's fd through its own EventOps.
      manager.eventOps(removerId).remove(Events.of(first, EventSet.IN));
      assertEquals(List.of(), manager.watchList(oldId));
      first.close();

      try (Counter reused = new Counter()) {
        assertEquals(number, reused.fd(), "the kernel hands out the lowest free number");
        Probe newOwner = new Probe(reused);
        SubscriberId newId = manager.addSubscriber(newOwner);

        assertSame(oldOwner, manager.removeSubscriber(oldId));

        assertEquals(List.of(number), manager.watchList(newId));
        reused.trigger();
        assertEquals(1, manager.runWithTimeout(0));
        assertEquals(List.of(number), newOwner.fds());
        // Still registered in epoll under its new owner: removing it works without an error.
        manager.eventOps(newId).remove(Events.of(reused, EventSet.IN));
        assertTrue(manager.watchList(newId).isEmpty());
      }
    }
  }
}
