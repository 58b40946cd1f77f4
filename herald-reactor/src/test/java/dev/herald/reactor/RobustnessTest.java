package dev.herald.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.Errno;
import dev.herald.os.Fd;
import dev.herald.os.SocketPair;
import dev.herald.os.internal.Epoll;
import dev.herald.reactor.SemanticsTest.Probe;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Failure paths and threading rules found in review: throwing closures, re-entrant calls, closing
 * from another thread, interrupted and failing blocking calls, kernel errors. Real eventfds, socket
 * pairs and threads; waits are on conditions, never on time.
 */
@Timeout(30)
class RobustnessTest {
  // --- the endpoint's drain -----------------------------------------------------------------

  @Test
  void aFiredClosureThatThrowsDoesNotLoseTheClosuresQueuedBehindIt() {
    try (EventManager<Probe> manager = new EventManager<>()) {
      RemoteEndpoint<Probe> remote = manager.remoteEndpoint();
      List<String> ran = new ArrayList<>();
      IOException checked = new IOException("checked");
      AssertionError error = new AssertionError("an error, not an exception");
      remote.fire(ops -> sneakyThrow(checked));
      remote.fire(ops -> ran.add("second"));
      remote.fire(
          ops -> {
            throw error;
          });
      remote.fire(ops -> sneakyThrow(checked)); // the same instance again: no self-suppression
      remote.fire(ops -> ran.add("fifth"));
      IOException thrown = assertThrows(IOException.class, () -> manager.runWithTimeout(0));
      assertSame(checked, thrown); // as it is, not wrapped
      assertArrayEquals(new Throwable[] {error}, thrown.getSuppressed());
      assertEquals(List.of("second", "fifth"), ran);
      assertEquals(0, manager.runWithTimeout(0)); // all drained, the eventfd reset
    }
  }

  @Test
  void aFatalErrorInAFiredClosureLeavesTheRestQueuedAndWakesTheNextRun() {
    try (EventManager<Probe> manager = new EventManager<>()) {
      RemoteEndpoint<Probe> remote = manager.remoteEndpoint();
      List<String> ran = new ArrayList<>();
      remote.fire(ops -> ran.add("first"));
      remote.fire(
          ops -> {
            throw new StackOverflowError("deep");
          });
      remote.fire(ops -> ran.add("third"));
      assertThrows(StackOverflowError.class, () -> manager.runWithTimeout(0));
      assertEquals(List.of("first"), ran);
      // The drain reset the eventfd before it started; it wrote it again on leaving early, so a
      // polling run finds the endpoint ready (without that, 0 and "third" stuck in the queue).
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(List.of("first", "third"), ran);
    }
  }

  // --- re-entrance and threads ----------------------------------------------------------------

  @Test
  void runAndCloseAreRefusedFromInsideCallbacksInitAndClosures() throws Exception {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Counter a = new Counter()) {
      List<Throwable> refused = new ArrayList<>();
      Probe probe = new Probe(a);
      probe.onEvent =
          (e, ops) -> {
            refused.add(catching(manager::run));
            refused.add(catching(() -> manager.runWithTimeout(0)));
            refused.add(catching(manager::runUntilStopped));
            refused.add(catching(manager::close));
          };
      manager.addSubscriber(probe);
      manager
          .remoteEndpoint()
          .fire(
              ops -> {
                refused.add(catching(manager::run));
                refused.add(catching(manager::close));
              });
      a.trigger();
      assertEquals(2, manager.runWithTimeout(0));
      // init, during a top-level addSubscriber, is inside the manager too.
      manager.addSubscriber(
          new Recorder(ops -> refused.add(catching(() -> manager.runWithTimeout(0)))));
      assertEquals(7, refused.size());
      for (Throwable t : refused) {
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(
            t.getMessage().contains("from inside a callback or endpoint closure"), t.getMessage());
      }
      // Nothing was corrupted or closed: the next run dispatches as usual and the endpoint works.
      List<String> ran = new ArrayList<>();
      manager.remoteEndpoint().fire(ops -> ran.add("fired"));
      assertEquals(2, manager.runWithTimeout(0));
      assertEquals(2, probe.seen.size());
      assertEquals(List.of("fired"), ran);
    }
  }

  @Test
  void closeFromAnotherThreadIsDeferredUntilTheCallInsideReturns() throws Exception {
    EventManager<EventSubscriber> manager = new EventManager<>();
    RemoteEndpoint<EventSubscriber> remote = manager.remoteEndpoint();
    CountDownLatch insideClosure = new CountDownLatch(1);
    CountDownLatch closeReturned = new CountDownLatch(1);
    AtomicReference<Object> loopOutcome = new AtomicReference<>();
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    loopOutcome.set(manager.runUntilStopped());
                  } catch (Throwable t) {
                    loopOutcome.set(t);
                  }
                });
    remote.fire(
        ops -> {
          insideClosure.countDown();
          awaitUninterruptibly(closeReturned);
        });
    insideClosure.await();
    // Another thread may not run it meanwhile ...
    IllegalStateException busy =
        assertThrows(IllegalStateException.class, () -> manager.runWithTimeout(0));
    assertTrue(busy.getMessage().contains("single-threaded"), busy.getMessage());
    // ... and its close returns at once, without closing anything yet.
    manager.close();
    remote.fire(ops -> {}); // still accepted: the endpoint is open
    closeReturned.countDown();
    loop.join();
    assertInstanceOf(Long.class, loopOutcome.get()); // runUntilStopped returned, no exception
    assertEquals(
        ReactorException.Kind.CHANNEL_SEND,
        assertThrows(ReactorException.class, () -> remote.fire(ops -> {})).kind());
    assertEquals(
        "event manager is closed",
        assertThrows(IllegalStateException.class, manager::run).getMessage());
    manager.close(); // again: nothing to do
  }

  @Test
  void closeFromAnotherThreadWakesARunBlockedInEpollWait() throws Exception {
    EventManager<EventSubscriber> manager = new EventManager<>();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    outcome.set(manager.run());
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                });
    // Once inside, the loop only leaves when epoll_wait returns: nothing but close wakes it.
    UpstreamTest.waitFor(() -> manager.threadInside() == loop);
    manager.close();
    loop.join();
    assertEquals(1, outcome.get()); // the endpoint entry written by close
    assertNull(manager.threadInside());
    assertThrows(IllegalStateException.class, () -> manager.runWithTimeout(0));
  }

  @Test
  void fireFromAnotherThreadWakesARunBlockedInEpollWait() throws Exception {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      AtomicReference<Object> outcome = new AtomicReference<>();
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      Thread loop =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      outcome.set(manager.run());
                    } catch (Throwable t) {
                      outcome.set(t);
                    }
                  });
      UpstreamTest.waitFor(() -> manager.threadInside() == loop);
      Thread sender =
          Thread.ofPlatform()
              .start(() -> manager.remoteEndpoint().fire(ops -> ranOn.set(Thread.currentThread())));
      sender.join();
      loop.join();
      assertEquals(1, outcome.get());
      assertSame(loop, ranOn.get());
    }
  }

  @Test
  void callBlockingFailsFastOnTheThreadInsideTheManagerAndOnlyThere() throws Exception {
    EventManager<EventSubscriber> manager = new EventManager<>();
    RemoteEndpoint<EventSubscriber> remote = manager.remoteEndpoint();
    List<Throwable> refused = new ArrayList<>();
    try (Counter a = new Counter()) {
      // From init during a top-level addSubscriber: this thread has never run the loop.
      manager.addSubscriber(
          new Recorder(ops -> refused.add(catching(() -> remote.callBlocking(o -> 1)))));
      // From process, from init during a nested addSubscriber, and from a fired closure.
      Probe probe = new Probe(a);
      probe.onEvent =
          (e, ops) -> {
            refused.add(catching(() -> remote.callBlocking(o -> 1)));
            manager.addSubscriber(
                new Recorder(inner -> refused.add(catching(() -> remote.callBlocking(o -> 1)))));
          };
      manager.addSubscriber(probe);
      remote.fire(ops -> refused.add(catching(() -> remote.callBlocking(o -> 1))));
      a.trigger();
      assertEquals(2, manager.runWithTimeout(0));
      assertEquals(4, refused.size());
      for (Throwable t : refused) {
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("use fire()"), t.getMessage());
      }
      a.clear();
      // Handed to another thread, the manager answers this one: no stale "loop thread" remains.
      Thread loop = Thread.ofPlatform().start(manager::runUntilStopped);
      assertEquals(Integer.valueOf(42), remote.callBlocking(ops -> 42));
      remote.stop();
      loop.join();
    } finally {
      manager.close();
    }
  }

  @Test
  void anInterruptedCallerWithdrawsItsCallAndKeepsTheFlag() {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      AtomicBoolean ran = new AtomicBoolean();
      Thread.currentThread().interrupt();
      Throwable outcome =
          catching(() -> manager.remoteEndpoint().callBlocking(ops -> ran.getAndSet(true)));
      assertTrue(Thread.interrupted(), "the interrupt flag is set again"); // and cleared here
      assertInterruptedBeforeRunning(outcome);
      assertEquals(1, manager.runWithTimeout(0)); // the call was queued and woke the loop ...
      assertFalse(ran.get()); // ... but was skipped
    }
  }

  @Test
  void aCallerInterruptedWhileWaitingWithdrawsItsCall() throws Exception {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      AtomicBoolean ran = new AtomicBoolean();
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      AtomicBoolean flagAfter = new AtomicBoolean();
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    outcome.set(
                        catching(
                            () ->
                                manager.remoteEndpoint().callBlocking(ops -> ran.getAndSet(true))));
                    flagAfter.set(Thread.currentThread().isInterrupted());
                  });
      UpstreamTest.waitFor(() -> caller.getState() == Thread.State.WAITING);
      caller.interrupt();
      caller.join();
      assertTrue(flagAfter.get());
      assertInterruptedBeforeRunning(outcome.get());
      assertEquals(1, manager.runWithTimeout(0));
      assertFalse(ran.get());
    }
  }

  private static void assertInterruptedBeforeRunning(Throwable outcome) {
    ReactorException e = assertInstanceOf(ReactorException.class, outcome);
    assertEquals(ReactorException.Kind.CHANNEL_RECV, e.kind());
    assertEquals("event_manager: failed to receive message from remote endpoint", e.getMessage());
    InterruptedException cause = assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(cause.getMessage().contains("cancelled and will not run"), cause.getMessage());
  }

  @Test
  void callBlockingRethrowsWhatTheClosureThrewAsItIs() throws Exception {
    EventManager<EventSubscriber> manager = new EventManager<>();
    RemoteEndpoint<EventSubscriber> remote = manager.remoteEndpoint();
    Thread loop = Thread.ofPlatform().start(manager::runUntilStopped);
    try {
      IOException checked = new IOException("checked");
      assertSame(
          checked,
          assertThrows(IOException.class, () -> remote.callBlocking(ops -> sneakyThrow(checked))));
      // A CompletableFuture would unwrap this one; it must come back whole.
      CompletionException wrapper = new CompletionException(new IOException("inner"));
      assertSame(
          wrapper,
          assertThrows(
              CompletionException.class,
              () ->
                  remote.callBlocking(
                      ops -> {
                        throw wrapper;
                      })));
      AssertionError error = new AssertionError("error");
      assertSame(
          error,
          assertThrows(
              AssertionError.class,
              () ->
                  remote.callBlocking(
                      ops -> {
                        throw error;
                      })));
      assertEquals("still answering", remote.callBlocking(ops -> "still answering"));
    } finally {
      remote.stop();
      loop.join();
      manager.close();
    }
  }

  // --- the endpoint's eventfd -------------------------------------------------------------------

  @Test
  void aFailedEndpointRegistrationClosesTheEventfd() {
    EndpointChannel<EventSubscriber> channel = new EndpointChannel<>();
    try (Epoll epoll = Epoll.create()) {
      epoll.add(channel.fd(), Epoll.IN, 0); // already there: the registration fails in the kernel
      ReactorException e = assertThrows(ReactorException.class, () -> channel.registerWith(epoll));
      assertEquals(ReactorException.Kind.EPOLL, e.kind());
      assertEquals(Errno.EEXIST, e.errno());
      // The eventfd is closed (its owner refuses to give the number out) and sends are refused.
      assertThrows(IllegalStateException.class, channel::fd);
      assertEquals(
          ReactorException.Kind.CHANNEL_SEND,
          assertThrows(
                  ReactorException.class, () -> channel.send(new EndpointMessage.Fire<>(ops -> {})))
              .kind());
    }
  }

  @Test
  void eventFdWriteFailuresCarryTheSpecMessageAndWithdrawTheCall() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Arena arena = Arena.ofConfined()) {
      RemoteEndpoint<EventSubscriber> remote = manager.remoteEndpoint();
      // Fill the counter to its maximum: every further write would overflow (EAGAIN).
      MemorySegment max = arena.allocate(ValueLayout.JAVA_LONG);
      max.set(ValueLayout.JAVA_LONG, 0, 0xFFFF_FFFF_FFFF_FFFEL);
      assertEquals(8, Fd.of(manager.endpointFd()).write(max));
      String expected =
          "event_manager: failed to manage EventFd file descriptor: Resource temporarily unavailable";
      ReactorException kick = assertThrows(ReactorException.class, remote::kick);
      assertEquals(ReactorException.Kind.EVENT_FD, kick.kind());
      assertEquals(Errno.EAGAIN, kick.errno());
      assertEquals(expected, kick.getMessage());
      AtomicBoolean ran = new AtomicBoolean();
      ReactorException call =
          assertThrows(
              ReactorException.class, () -> remote.callBlocking(ops -> ran.getAndSet(true)));
      assertEquals(ReactorException.Kind.EVENT_FD, call.kind());
      assertEquals(expected, call.getMessage());
      assertEquals(1, manager.runWithTimeout(0)); // the drain resets the counter ...
      assertFalse(ran.get()); // ... and skips the withdrawn call
      remote.kick(); // writable again
      assertEquals(1, manager.runWithTimeout(0));
    }
  }

  @Test
  void aSetOtherThanInOnTheEndpointEventfdIsFatalAsUpstream() {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      SubscriberId id = manager.addSubscriber(new Probe());
      // modify checks no ownership (spec §2.2), so a subscriber can reach the endpoint's fd.
      manager
          .eventOps(id)
          .modify(Events.of(manager.endpointFd(), EventSet.of(EventSet.IN, EventSet.OUT)));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> manager.runWithTimeout(0));
      assertTrue(e.getMessage().startsWith("internal error: entered unreachable code"));
      assertTrue(e.getMessage().contains("endpoint eventfd reported OUT"), e.getMessage());
      // Put back, the manager works again: the failed run left nothing behind.
      manager.eventOps(id).modify(Events.of(manager.endpointFd(), EventSet.IN));
      List<String> ran = new ArrayList<>();
      manager.remoteEndpoint().fire(ops -> ran.add("fired"));
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(List.of("fired"), ran);
    }
  }

  // --- kernel errors and ownership ------------------------------------------------------------

  @Test
  void removingAClosedFdFailsWithEbadfAndChangesNothing() {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      Counter counter = new Counter();
      SubscriberId id = manager.addSubscriber(new Probe(counter));
      int number = counter.fd();
      counter.close();
      EventOps ops = manager.eventOps(id);
      ReactorException e =
          assertThrows(ReactorException.class, () -> ops.remove(Events.empty(number)));
      assertEquals(ReactorException.Kind.EPOLL, e.kind());
      assertEquals(Errno.EBADF, e.errno());
      assertEquals(
          "event_manager: failed to manage epoll file descriptor: Bad file descriptor (os error 9)",
          e.getMessage());
      assertEquals(List.of(number), manager.watchList(id));
      assertTrue(ops.interest(number).isPresent());
      manager.removeSubscriber(id); // its DEL fails the same way, and is ignored
    }
  }

  @Test
  void addingTheEndpointsEventfdFailsInTheKernelWithEexist() {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      SubscriberId id = manager.addSubscriber(new Probe());
      // The endpoint's fd is in epoll but owned by no subscriber: the map check passes, the
      // kernel refuses.
      ReactorException e =
          assertThrows(
              ReactorException.class,
              () -> manager.eventOps(id).add(Events.of(manager.endpointFd(), EventSet.IN)));
      assertEquals(ReactorException.Kind.EPOLL, e.kind());
      assertEquals(Errno.EEXIST, e.errno());
      assertEquals(
          "event_manager: failed to manage epoll file descriptor: File exists (os error 17)",
          e.getMessage());
      assertEquals(List.of(), manager.watchList(id));
      List<String> ran = new ArrayList<>();
      manager.remoteEndpoint().fire(ops -> ran.add("fired"));
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(List.of("fired"), ran);
    }
  }

  @Test
  void addingTheEpollFdToItselfFailsWithEinval() {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      SubscriberId id = manager.addSubscriber(new Probe());
      ReactorException e =
          assertThrows(
              ReactorException.class,
              () -> manager.eventOps(id).add(Events.of(manager.epollFd(), EventSet.IN)));
      assertEquals(ReactorException.Kind.EPOLL, e.kind());
      assertEquals(Errno.EINVAL, e.errno());
      assertEquals(List.of(), manager.watchList(id));
    }
  }

  @Test
  void theSameSubscriberAddingAnFdTwiceGetsFdAlreadyRegistered() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Counter a = new Counter()) {
      Probe probe = new Probe();
      SubscriberId id = manager.addSubscriber(probe);
      EventOps ops = manager.eventOps(id);
      ops.add(Events.withData(a, 7, EventSet.IN));
      ReactorException e =
          assertThrows(ReactorException.class, () -> ops.add(Events.withData(a, 8, EventSet.IN)));
      assertEquals(ReactorException.Kind.FD_ALREADY_REGISTERED, e.kind());
      assertEquals("event_manager: file descriptor has already been registered", e.getMessage());
      // The first registration is untouched.
      assertEquals(List.of(a.fd()), manager.watchList(id));
      a.trigger();
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(List.of(Events.withData(a, 7, EventSet.IN)), probe.seen);
    }
  }

  @Test
  void removeSubscriberLeavesTheSubscribersFdsOpen() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Counter a = new Counter()) {
      SubscriberId id = manager.addSubscriber(new Probe(a));
      manager.removeSubscriber(id);
      // Still open (fcntl works, the counter counts), and another subscriber may take it.
      assertTrue(Fd.of(a.fd()).isNonBlocking());
      a.trigger();
      Probe next = new Probe(a);
      manager.addSubscriber(next);
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(1, next.seen.size());
      a.clear();
    }
  }

  // --- dispatch allocation ----------------------------------------------------------------------

  @Test
  void alternatingReadySetsReuseTheTwoCachedEventsValues() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
        Arena arena = Arena.ofConfined()) {
      Recorder probe =
          new Recorder(
              ops -> ops.add(Events.of(pair.first(), EventSet.of(EventSet.IN, EventSet.OUT))));
      manager.addSubscriber(probe);
      MemorySegment buffer = arena.allocate(1);
      for (int round = 0; round < 3; round++) {
        assertEquals(1, manager.runWithTimeout(0)); // writable only: OUT
        assertEquals(1, pair.second().write(buffer));
        assertEquals(1, manager.runWithTimeout(0)); // and readable: IN | OUT
        assertEquals(1, pair.first().read(buffer));
      }
      List<Events> seen = probe.seen;
      assertEquals(EventSet.OUT, seen.get(0).eventSet());
      assertEquals(EventSet.of(EventSet.IN, EventSet.OUT), seen.get(1).eventSet());
      for (int i = 2; i < seen.size(); i++) {
        assertSame(seen.get(i % 2), seen.get(i), "dispatch " + i + " allocated a new value");
      }
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** A subscriber whose init is given by the test; records each dispatch. */
  static final class Recorder implements EventSubscriber {
    final Consumer<EventOps> onInit;
    final List<Events> seen = new ArrayList<>();

    Recorder(Consumer<EventOps> onInit) {
      this.onInit = onInit;
    }

    @Override
    public void init(EventOps ops) {
      onInit.accept(ops);
    }

    @Override
    public void process(Events events, EventOps ops) {
      seen.add(events);
    }
  }

  private static Throwable catching(Executable call) {
    try {
      call.execute();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // Keep waiting: the test decides when the closure returns.
      }
    }
  }

  /** Throws a checked exception where the compiler does not expect one. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable, R> R sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }
}
