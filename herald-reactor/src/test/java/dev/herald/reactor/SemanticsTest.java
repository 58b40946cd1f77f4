package dev.herald.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.Errno;
import dev.herald.os.EventFd;
import dev.herald.os.Fd;
import dev.herald.os.OwnedFd;
import dev.herald.os.Signals;
import dev.herald.os.SocketPair;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of spec §2 that upstream does not test, with real eventfds and socket pairs. */
class SemanticsTest {
  /** A subscriber whose callbacks are given by the test; records each dispatch. */
  static final class Probe implements EventSubscriber {
    final List<Fd> initial;
    final List<Events> seen = new ArrayList<>();
    BiConsumer<Events, EventOps> onEvent = (e, ops) -> {};

    Probe(Fd... initial) {
      this.initial = List.of(initial);
    }

    @Override
    public void init(EventOps ops) {
      initial.forEach(fd -> ops.add(Events.of(fd, EventSet.IN)));
    }

    @Override
    public void process(Events events, EventOps ops) {
      seen.add(events);
      onEvent.accept(events, ops);
    }

    List<Integer> fds() {
      return seen.stream().map(Events::fd).toList();
    }
  }

  @Test
  void dispatchFollowsTheOrderInWhichFdsBecameReady() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter();
        Counter b = new Counter();
        Counter c = new Counter()) {
      Probe probe = new Probe(a, b, c);
      manager.addSubscriber(probe);
      c.trigger();
      a.trigger();
      b.trigger();
      assertEquals(3, manager.runWithTimeout(0));
      assertEquals(List.of(c.fd(), a.fd(), b.fd()), probe.fds());
    }
  }

  @Test
  void removalDuringARunCancelsPendingEntriesButTheCountStaysTheKernels() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter();
        Counter b = new Counter();
        Counter c = new Counter()) {
      Probe first = new Probe(a);
      Probe others = new Probe(b, c);
      manager.addSubscriber(first);
      manager.addSubscriber(others);
      // The first callback removes the other subscriber's two fds: one callback, count 3.
      first.onEvent =
          (e, ops) -> {
            ops.remove(Events.empty(b));
            ops.remove(Events.empty(c));
          };
      a.trigger();
      b.trigger();
      c.trigger();
      assertEquals(3, manager.runWithTimeout(0));
      assertEquals(1, first.seen.size() + others.seen.size());
    }
  }

  @Test
  void removeSubscriberDuringARunCancelsItsPendingEntries() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter();
        Counter b = new Counter()) {
      Probe victim = new Probe(b);
      Probe killer = new Probe(a);
      manager.addSubscriber(victim);
      SubscriberId victimId = new SubscriberId(1);
      manager.addSubscriber(killer);
      a.trigger();
      b.trigger(); // ready after a: a's callback runs first
      killer.onEvent = (e, ops) -> manager.removeSubscriber(victimId);
      assertEquals(2, manager.runWithTimeout(0));
      assertTrue(victim.seen.isEmpty());
    }
  }

  @Test
  void ownershipIsCheckedOnAddOnlyAndARemovedFdLeavesItsOwnersWatchList() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter shared = new Counter()) {
      Probe a = new Probe(shared);
      Probe b = new Probe();
      Probe c = new Probe();
      SubscriberId aId = manager.addSubscriber(a);
      SubscriberId bId = manager.addSubscriber(b);
      SubscriberId cId = manager.addSubscriber(c);
      // Another subscriber cannot add it ...
      assertEquals(
          ReactorException.Kind.FD_ALREADY_REGISTERED,
          assertThrows(
                  ReactorException.class,
                  () -> manager.eventOps(bId).add(Events.of(shared, EventSet.IN)))
              .kind());
      // ... but may modify it (dispatch still goes to the owner, with the new data) ...
      manager.eventOps(bId).modify(Events.withData(shared, 77, EventSet.IN));
      shared.trigger();
      manager.runWithTimeout(0);
      assertEquals(77, a.seen.getFirst().data());
      assertTrue(b.seen.isEmpty());
      // ... and remove it; unlike upstream, the owner's watch list drops it too (no stale entry).
      manager.eventOps(bId).remove(Events.empty(shared));
      assertEquals(List.of(), manager.watchList(aId));
      ReactorException gone =
          assertThrows(
              ReactorException.class, () -> manager.eventOps(aId).remove(Events.empty(shared)));
      assertEquals(ReactorException.Kind.EPOLL, gone.kind());
      assertEquals(Errno.ENOENT, gone.errno());
      assertEquals(
          "event_manager: failed to manage epoll file descriptor: No such file or directory (os error 2)",
          gone.getMessage());
      // C adds it and receives events; removing A leaves C's registration alone (upstream took it).
      manager.eventOps(cId).add(Events.of(shared, EventSet.IN));
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(1, c.seen.size());
      manager.removeSubscriber(aId);
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(2, c.seen.size());
    }
  }

  @Test
  void readyMaskIsPassedNotTheRegisteredOne() throws Exception {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
        Arena arena = Arena.ofConfined()) {
      List<EventSet> seen = new ArrayList<>();
      manager.addSubscriber(
          new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
              ops.add(Events.withData(pair.first(), 5, EventSet.of(EventSet.IN, EventSet.OUT)));
            }

            @Override
            public void process(Events events, EventOps ops) {
              seen.add(events.eventSet());
            }
          });
      assertEquals(1, manager.runWithTimeout(0));
      pair.second().write(arena.allocate(1));
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(List.of(EventSet.OUT, EventSet.of(EventSet.IN, EventSet.OUT)), seen);
    }
  }

  @Test
  void readHangUpIsReportedOnlyWhenRequested() {
    for (boolean requested : new boolean[] {false, true}) {
      try (EventManager<EventSubscriber> manager = new EventManager<>();
          SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK)) {
        AtomicReference<EventSet> seen = new AtomicReference<>();
        EventSet wanted = requested ? EventSet.of(EventSet.IN, EventSet.READ_HANG_UP) : EventSet.IN;
        manager.addSubscriber(
            subscriber(Events.of(pair.first(), wanted), (e, ops) -> seen.set(e.eventSet())));
        pair.second().close();
        manager.runWithTimeout(0);
        assertTrue(seen.get().contains(EventSet.of(EventSet.IN, EventSet.HANG_UP)));
        assertEquals(requested, seen.get().contains(EventSet.READ_HANG_UP), seen.get().toString());
      }
    }
  }

  @Test
  void edgeTriggeredAndOneShotFollowTheKernel() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Counter edge = new Counter();
        Counter once = new Counter()) {
      List<Integer> seen = new ArrayList<>();
      manager.addSubscriber(
          subscriber(
              Events.of(edge, EventSet.of(EventSet.IN, EventSet.EDGE_TRIGGERED)),
              (e, o) -> seen.add(e.fd())));
      edge.trigger();
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(0, manager.runWithTimeout(0));

      SubscriberId id =
          manager.addSubscriber(
              subscriber(
                  Events.of(once, EventSet.of(EventSet.IN, EventSet.ONE_SHOT)),
                  (e, o) -> seen.add(e.fd())));
      once.trigger();
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(0, manager.runWithTimeout(0));
      manager.eventOps(id).modify(Events.of(once, EventSet.of(EventSet.IN, EventSet.ONE_SHOT)));
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(List.of(edge.fd(), once.fd(), once.fd()), seen);
    }
  }

  @Test
  void capacityLimitsABatchAndTheKernelRotatesTheRest() {
    try (EventManager<Probe> manager = new EventManager<>(1);
        Counter a = new Counter();
        Counter b = new Counter();
        Counter c = new Counter()) {
      Probe probe = new Probe(a, b, c);
      manager.addSubscriber(probe);
      a.trigger();
      b.trigger();
      c.trigger();
      for (int i = 0; i < 4; i++) {
        assertEquals(1, manager.runWithTimeout(0));
      }
      assertEquals(List.of(a.fd(), b.fd(), c.fd(), a.fd()), probe.fds());
    }
  }

  @Test
  void zeroCapacityIsAcceptedButEveryRunFailsWithEinval() {
    try (EventManager<EventSubscriber> manager = new EventManager<>(0)) {
      ReactorException e = assertThrows(ReactorException.class, () -> manager.runWithTimeout(0));
      assertEquals(ReactorException.Kind.EPOLL, e.kind());
      assertEquals(Errno.EINVAL, e.errno());
    }
  }

  @Test
  @Timeout(30)
  void aWaitInterruptedByASignalReturnsZero() throws Exception {
    // The JVM handles SIGPIPE (and ignores it); a handled signal makes epoll_wait fail with EINTR,
    // which run() must report as 0. Without the rule, this blocking run would throw or never
    // return.
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      AtomicInteger tid = new AtomicInteger();
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread loop =
          Thread.ofPlatform()
              .start(
                  () -> {
                    tid.set(Signals.threadId());
                    try {
                      outcome.set(manager.runWithTimeout(-1));
                    } catch (Throwable t) {
                      outcome.set(t);
                    }
                  });
      UpstreamTest.waitFor(() -> tid.get() != 0);
      while (loop.isAlive()) {
        Signals.raise(tid.get(), Signals.SIGPIPE);
        loop.join(20);
      }
      assertEquals(0, outcome.get());
    }
  }

  @Test
  void timeoutWithNothingRegisteredReturnsZero() {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      long start = System.nanoTime();
      assertEquals(0, manager.runWithTimeout(100));
      assertTrue(System.nanoTime() - start >= 90_000_000L);
    }
  }

  @Test
  void kernelErrorsOnAddModifyRemove(@TempDir Path dir) throws IOException {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      SubscriberId id = manager.addSubscriber(subscriber(null, (e, o) -> {}));
      EventOps ops = manager.eventOps(id);
      EventFd closed = EventFd.create(0);
      int number = closed.fd();
      closed.close();
      ReactorException ebadf =
          assertThrows(ReactorException.class, () -> ops.add(Events.of(number, EventSet.IN)));
      assertEquals(Errno.EBADF, ebadf.errno());
      assertInstanceOf(dev.herald.os.OsException.class, ebadf.getCause());
      assertTrue(ebadf.getCause().getMessage().contains("fd " + number));

      Path file = Files.writeString(dir.resolve("regular"), "x");
      try (var in = new java.io.RandomAccessFile(file.toFile(), "r")) {
        int fileFd = fdOfProcSelf(file);
        assertTrue(fileFd >= 0, "the file must show up in /proc/self/fd");
        ReactorException eperm =
            assertThrows(ReactorException.class, () -> ops.add(Events.of(fileFd, EventSet.IN)));
        assertEquals(Errno.EPERM, eperm.errno());
        assertTrue(in.length() > 0);
      }
      try (Counter unregistered = new Counter()) {
        assertEquals(
            Errno.ENOENT,
            assertThrows(
                    ReactorException.class, () -> ops.modify(Events.of(unregistered, EventSet.IN)))
                .errno());
        assertEquals(
            Errno.ENOENT,
            assertThrows(ReactorException.class, () -> ops.remove(Events.empty(unregistered)))
                .errno());
        // The failed add left nothing behind: the fd can still be added.
        ops.add(Events.of(unregistered, EventSet.IN));
        assertEquals(List.of(unregistered.fd()), manager.watchList(id));
      }
    }
  }

  /** Finds the fd number the JVM opened for {@code file}. */
  private static int fdOfProcSelf(Path file) throws IOException {
    try (var entries = Files.list(Path.of("/proc/self/fd"))) {
      for (Path link : entries.toList()) {
        try {
          if (Files.readSymbolicLink(link).equals(file)) {
            return Integer.parseInt(link.getFileName().toString());
          }
        } catch (IOException ignored) {
          // The listing's own fd is gone by now.
        }
      }
    }
    return -1;
  }

  @Test
  void anEventForAnUnregisteredFdIsFatalWithUpstreamsMessage() {
    // Register an fd, close it while a duplicate keeps the eventfd open, remove the subscriber
    // (its DEL fails with EBADF and is ignored, so the epoll entry lives on), then write through
    // the duplicate: epoll reports an fd that no subscriber owns.
    Counter counter = new Counter(); // closed by the test itself, half-way
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        OwnedFd duplicate = counter.duplicate();
        Arena arena = Arena.ofConfined()) {
      SubscriberId id =
          manager.addSubscriber(subscriber(Events.of(counter, EventSet.IN), (e, o) -> {}));
      int number = counter.fd();
      counter.close();
      manager.removeSubscriber(id);
      MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
      one.set(ValueLayout.JAVA_LONG, 0, 1);
      assertEquals(8, duplicate.write(one));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> manager.runWithTimeout(0));
      assertTrue(
          e.getMessage().contains("Received event on fd from subscriber that is not registered"),
          e.getMessage());
      assertTrue(e.getMessage().contains("fd " + number));
    }
  }

  @Test
  void fdsAddedDuringACallbackAreDispatchedFromTheNextRun() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter();
        Counter late = new Counter()) {
      Probe probe = new Probe(a);
      probe.onEvent =
          (e, ops) -> {
            if (ops.interest(late.fd()).isEmpty()) {
              ops.add(Events.of(late, EventSet.IN));
            }
          };
      manager.addSubscriber(probe);
      a.trigger();
      late.trigger();
      assertEquals(1, manager.runWithTimeout(0));
      assertEquals(2, manager.runWithTimeout(0));
    }
  }

  @Test
  void endpointClosuresRunFifoAfterEveryCallbackAndCountInTheReturnValue() throws Exception {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter()) {
      List<String> order = new ArrayList<>();
      Probe probe = new Probe(a);
      probe.onEvent = (e, ops) -> order.add("callback");
      manager.addSubscriber(probe);
      RemoteEndpoint<Probe> remote = manager.remoteEndpoint();
      Thread sender =
          Thread.ofPlatform()
              .start(
                  () -> {
                    remote.fire(ops -> order.add("first"));
                    remote.fire(ops -> order.add("second"));
                  });
      sender.join();
      a.trigger();
      assertEquals(2, manager.runWithTimeout(0));
      assertEquals(List.of("callback", "first", "second"), order);
    }
  }

  @Test
  void callBlockingReturnsAndRethrowsAndFailsFastOnTheLoopThread() throws Exception {
    EventManager<Probe> manager = new EventManager<>();
    RemoteEndpoint<Probe> remote = manager.remoteEndpoint();
    AtomicReference<Throwable> insideLoop = new AtomicReference<>();
    Thread loop = Thread.ofPlatform().start(manager::runUntilStopped);
    assertEquals(Integer.valueOf(3), remote.callBlocking(ops -> 1 + 2));
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                remote.callBlocking(
                    ops -> {
                      throw new IllegalArgumentException("from the loop");
                    }));
    assertEquals("from the loop", thrown.getMessage());
    remote.callBlocking(
        ops -> {
          try {
            remote.callBlocking(inner -> 0);
          } catch (Throwable t) {
            insideLoop.set(t);
          }
          return null;
        });
    assertInstanceOf(IllegalStateException.class, insideLoop.get());
    assertTrue(insideLoop.get().getMessage().contains("use fire()"));
    remote.stop();
    loop.join(5000);
    assertFalse(loop.isAlive());
    manager.close();
  }

  @Test
  void firedFailureSurfacesAfterTheQueueDrains() throws Exception {
    try (EventManager<Probe> manager = new EventManager<>()) {
      List<String> ran = new ArrayList<>();
      RemoteEndpoint<Probe> remote = manager.remoteEndpoint();
      remote.fire(
          ops -> {
            throw new IllegalStateException("boom");
          });
      remote.fire(ops -> ran.add("after"));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> manager.runWithTimeout(0));
      assertEquals("boom", e.getMessage());
      assertEquals(List.of("after"), ran);
      assertEquals(0, manager.runWithTimeout(0)); // nothing left, the eventfd was reset
    }
  }

  @Test
  void afterCloseSendsFailAndKickIsHarmless() {
    EventManager<Probe> manager = new EventManager<>();
    RemoteEndpoint<Probe> remote = manager.remoteEndpoint();
    manager.close();
    manager.close();
    ReactorException fire = assertThrows(ReactorException.class, () -> remote.fire(ops -> {}));
    assertEquals(ReactorException.Kind.CHANNEL_SEND, fire.kind());
    assertEquals("event_manager: failed to send message to remote endpoint", fire.getMessage());
    assertEquals(
        ReactorException.Kind.CHANNEL_SEND,
        assertThrows(ReactorException.class, () -> remote.callBlocking(ops -> 1)).kind());
    remote.kick();
    remote.stop();
    assertThrows(IllegalStateException.class, manager::run);
  }

  @Test
  void closingWhileACallerWaitsRunsItsCallFirst() throws Exception {
    EventManager<Probe> manager = new EventManager<>();
    RemoteEndpoint<Probe> remote = manager.remoteEndpoint();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    outcome.set(remote.callBlocking(ops -> 1));
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                });
    UpstreamTest.waitFor(() -> caller.getState() == Thread.State.WAITING);
    manager.close();
    caller.join(5000);
    // Upstream drops it (the caller gets CHANNEL_RECV); Herald runs it: no posted work vanishes.
    assertEquals(1, outcome.get());
  }

  @Test
  void interestCanBeReadBackAndSingleFlagsChanged() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter()) {
      SubscriberId id = manager.addSubscriber(new Probe());
      EventOps ops = manager.eventOps(id);
      ops.add(Events.withData(a, 9, EventSet.IN));
      assertEquals(Optional.of(Events.withData(a, 9, EventSet.IN)), ops.interest(a.fd()));
      ops.addFlags(a.fd(), EventSet.OUT);
      assertEquals(
          EventSet.of(EventSet.IN, EventSet.OUT), ops.interest(a.fd()).orElseThrow().eventSet());
      assertEquals(1, manager.runWithTimeout(0)); // OUT: an eventfd is writable
      ops.removeFlags(a.fd(), EventSet.OUT);
      assertEquals(Optional.of(Events.withData(a, 9, EventSet.IN)), ops.interest(a.fd()));
      assertEquals(0, manager.runWithTimeout(0));
      ops.remove(Events.empty(a));
      assertEquals(Optional.empty(), ops.interest(a.fd()));
      assertEquals(
          Errno.ENOENT,
          assertThrows(ReactorException.class, () -> ops.addFlags(a.fd(), EventSet.OUT)).errno());
    }
  }

  @Test
  void subscribersAndTheirFdsCanBeListed() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter();
        Counter b = new Counter()) {
      SubscriberId first = manager.addSubscriber(new Probe(a, b));
      SubscriberId second = manager.addSubscriber(new Probe());
      assertEquals(List.of(first, second), manager.subscriberIds());
      assertEquals(1, first.value());
      assertEquals(2, second.value());
      assertEquals(List.of(a.fd(), b.fd()), manager.watchList(first));
      manager.removeSubscriber(first);
      assertEquals(List.of(second), manager.subscriberIds());
      SubscriberId third = manager.addSubscriber(new Probe());
      assertEquals(3, third.value()); // never reused
      assertEquals(
          ReactorException.Kind.INVALID_ID,
          assertThrows(ReactorException.class, () -> manager.watchList(first)).kind());
      assertEquals(
          ReactorException.Kind.INVALID_ID,
          assertThrows(ReactorException.class, () -> manager.eventOps(first)).kind());
      assertEquals(
          ReactorException.Kind.INVALID_ID,
          assertThrows(ReactorException.class, () -> manager.subscriber(first)).kind());
    }
  }

  @Test
  void steadyStateDispatchReusesTheSameEventsValue() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter()) {
      Probe probe = new Probe(a);
      manager.addSubscriber(probe);
      a.trigger();
      manager.runWithTimeout(0);
      manager.runWithTimeout(0);
      assertSame(probe.seen.get(0), probe.seen.get(1));
    }
  }

  @Test
  void runUntilStoppedEndsFromACallbackToo() {
    try (EventManager<Probe> manager = new EventManager<>();
        Counter a = new Counter()) {
      Probe probe = new Probe(a);
      probe.onEvent = (e, ops) -> manager.remoteEndpoint().stop();
      manager.addSubscriber(probe);
      a.trigger();
      assertEquals(1, manager.runUntilStopped());
    }
  }

  private static EventSubscriber subscriber(Events initial, BiConsumer<Events, EventOps> onEvent) {
    return new EventSubscriber() {
      @Override
      public void init(EventOps ops) {
        if (initial != null) {
          ops.add(initial);
        }
      }

      @Override
      public void process(Events events, EventOps ops) {
        onEvent.accept(events, ops);
      }
    };
  }
}
