package dev.herald.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.SocketPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every upstream test of event-manager 0.4.2 (spec §3), ported one for one. */
class UpstreamTest {
  /** manager.rs test_register: an fd added while processing is dispatched from the next run. */
  @Test
  void testRegister() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Counter first = new Counter();
        Counter second = new Counter()) {
      List<Integer> dispatched = new ArrayList<>();
      manager.addSubscriber(
          new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
              ops.add(Events.of(first, EventSet.IN));
            }

            @Override
            public void process(Events events, EventOps ops) {
              dispatched.add(events.fd());
              if (events.fd() == first.fd() && ops.interest(second.fd()).isEmpty()) {
                ops.add(Events.of(second, EventSet.IN));
              }
            }
          });
      first.trigger();
      second.trigger();
      assertEquals(1, manager.runWithTimeout(100));
      assertEquals(List.of(first.fd()), dispatched);
      assertEquals(2, manager.runWithTimeout(100));
      assertEquals(3, dispatched.size());
      assertTrue(dispatched.subList(1, 3).containsAll(List.of(first.fd(), second.fd())));
    }
  }

  /** manager.rs test_add_invalid_subscriber: the same eventfd twice fails the second init. */
  @Test
  void testAddInvalidSubscriber() {
    try (EventManager<EventSubscriber> manager = new EventManager<>()) {
      CounterSubscriber subscriber = new CounterSubscriber();
      manager.addSubscriber(subscriber);
      ReactorException e =
          assertThrows(ReactorException.class, () -> manager.addSubscriber(subscriber));
      assertEquals(ReactorException.Kind.FD_ALREADY_REGISTERED, e.kind());
      assertEquals("event_manager: file descriptor has already been registered", e.getMessage());
      // The failed subscriber stays registered, as upstream.
      assertEquals(2, manager.subscriberIds().size());
    }
  }

  /** manager.rs test_unregister: removing its fd inside process ends its dispatch. */
  @Test
  void testUnregister() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Counter counter = new Counter()) {
      manager.addSubscriber(
          new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
              ops.add(Events.of(counter, EventSet.IN));
            }

            @Override
            public void process(Events events, EventOps ops) {
              counter.increment();
              ops.remove(events);
            }
          });
      counter.trigger();
      assertEquals(1, manager.runWithTimeout(100));
      assertEquals(0, manager.runWithTimeout(100));
      assertEquals(1, counter.count());
    }
  }

  /** manager.rs test_modify: OUT replaced by IN inside process; the next run sees IN only. */
  @Test
  void testModify() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        Counter counter = new Counter()) {
      List<EventSet> seen = new ArrayList<>();
      manager.addSubscriber(
          new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
              ops.add(Events.of(counter, EventSet.OUT));
            }

            @Override
            public void process(Events events, EventOps ops) {
              seen.add(events.eventSet());
              if (events.eventSet().contains(EventSet.OUT)) {
                ops.modify(Events.of(counter, EventSet.IN));
              }
            }
          });
      assertEquals(1, manager.runWithTimeout(100));
      counter.trigger();
      assertEquals(1, manager.runWithTimeout(100));
      assertEquals(List.of(EventSet.OUT, EventSet.IN), seen);
    }
  }

  /** manager.rs test_remove_subscriber. */
  @Test
  void testRemoveSubscriber() {
    try (EventManager<CounterSubscriber> manager = new EventManager<>()) {
      CounterSubscriber subscriber = new CounterSubscriber();
      SubscriberId id = manager.addSubscriber(subscriber);
      subscriber.counter().trigger();
      assertEquals(1, manager.runWithTimeout(100));
      assertEquals(subscriber, manager.removeSubscriber(id));
      assertEquals(0, manager.runWithTimeout(100));
      assertEquals(1, subscriber.counter().count());
      ReactorException e = assertThrows(ReactorException.class, () -> manager.removeSubscriber(id));
      assertEquals(ReactorException.Kind.INVALID_ID, e.kind());
      assertEquals("event_manager: invalid subscriber Id", e.getMessage());
      subscriber.counter().close();
    }
  }

  /** basic_event_manager.rs test_single_threaded. */
  @Test
  void testSingleThreaded() {
    try (EventManager<CounterSubscriber> manager = new EventManager<>()) {
      List<CounterSubscriber> subscribers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        CounterSubscriber s = new CounterSubscriber();
        subscribers.add(s);
        manager.addSubscriber(s);
      }
      int[] triggered = {1, 3, 50, 97};
      for (int i : triggered) {
        subscribers.get(i).counter().trigger();
      }
      assertEquals(4, manager.runWithTimeout(100));
      for (int i = 0; i < 100; i++) {
        boolean hit = i == 1 || i == 3 || i == 50 || i == 97;
        assertEquals(hit ? 1 : 0, subscribers.get(i).counter().count(), "subscriber " + i);
      }
      for (int i : triggered) {
        subscribers.get(i).counter().clear();
      }
      assertEquals(0, manager.runWithTimeout(100));
      for (int i : triggered) {
        assertEquals(1, subscribers.get(i).counter().count());
      }
      subscribers.forEach(s -> s.counter().close());
    }
  }

  /** endpoint.rs test_endpoint: a loop thread driven only through the endpoint. */
  @Test
  void testEndpoint() throws Exception {
    EventManager<CounterSubscriber> manager = new EventManager<>();
    RemoteEndpoint<CounterSubscriber> remote = manager.remoteEndpoint();
    AtomicLong runs = new AtomicLong();
    AtomicReference<Boolean> stop = new AtomicReference<>(false);
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!stop.get()) {
                    manager.run();
                    runs.incrementAndGet();
                  }
                });
    Thread.sleep(100);
    assertEquals(0, runs.get());

    CounterSubscriber subscriber = new CounterSubscriber();
    SubscriberId id = remote.callBlocking(ops -> ops.addSubscriber(subscriber));
    waitFor(() -> runs.get() >= 1);
    assertEquals(1, runs.get());

    remote.fire(ops -> ops.subscriber(id).counter().trigger());
    waitFor(() -> runs.get() > 1);
    remote.fire(ops -> ops.subscriber(id).counter().clear());
    assertTrue(remote.callBlocking(ops -> ops.subscriber(id).counter().count()) >= 1);

    stop.set(true);
    remote.kick();
    loop.join(5000);
    assertTrue(!loop.isAlive());
    manager.close();
    subscriber.counter().close();
  }

  /** multi_threaded.rs test_diff_type_subscribers: data subscriber (3 fds) + counter (1 fd). */
  @Test
  void testDiffTypeSubscribers() throws Exception {
    EventManager<EventSubscriber> manager = new EventManager<>();
    CounterSubscriberWithData withData = new CounterSubscriberWithData(1);
    CounterSubscriber counter = new CounterSubscriber();
    SubscriberId a = manager.addSubscriber(withData);
    SubscriberId b = manager.addSubscriber(counter);
    withData.triggerAll();
    counter.counter().trigger();
    List<Integer> results = onAnotherThread(manager, 100);
    assertEquals(100, results.size());
    results.forEach(n -> assertEquals(4, n));
    manager.removeSubscriber(a);
    manager.removeSubscriber(b);
    manager.close();
  }

  /** multi_threaded.rs test_one_type_subscriber: two data subscribers (data 1 and 1999). */
  @Test
  void testOneTypeSubscriber() throws Exception {
    EventManager<CounterSubscriberWithData> manager = new EventManager<>();
    CounterSubscriberWithData low = new CounterSubscriberWithData(1);
    CounterSubscriberWithData high = new CounterSubscriberWithData(1999);
    SubscriberId lowId = manager.addSubscriber(low);
    SubscriberId highId = manager.addSubscriber(high);
    low.triggerAll();
    high.triggerAll();
    onAnotherThread(manager, 100).forEach(n -> assertEquals(6, n));
    assertArrayEquals(new long[] {100, 100, 100}, manager.removeSubscriber(lowId).counts());
    assertArrayEquals(new long[] {100, 100, 100}, manager.removeSubscriber(highId).counts());
    manager.close();
  }

  /** multi_threaded.rs test_subscriber_inner_mut: state shared through an atomic. */
  @Test
  void testSubscriberInnerMut() throws Exception {
    EventManager<EventSubscriber> manager = new EventManager<>();
    AtomicLong shared = new AtomicLong();
    try (Counter counter = new Counter()) {
      manager.addSubscriber(
          new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
              ops.add(Events.of(counter, EventSet.IN));
            }

            @Override
            public void process(Events events, EventOps ops) {
              shared.incrementAndGet();
            }
          });
      counter.trigger();
      onAnotherThread(manager, 100).forEach(n -> assertEquals(1, n));
      assertEquals(100, shared.get());
    }
    manager.close();
  }

  /** negative_tests.rs test_handling_errors_in_subscriber: hang-ups are reported every run. */
  @Test
  void testHandlingErrorsInSubscriber() {
    try (EventManager<EventSubscriber> manager = new EventManager<>();
        SocketPair first = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
        SocketPair second = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK)) {
      AtomicLong hangUps = new AtomicLong();
      first.second().close();
      manager.addSubscriber(
          new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
              ops.add(Events.of(first.first(), EventSet.IN));
            }

            @Override
            public void process(Events events, EventOps ops) {
              if (events.eventSet().contains(EventSet.HANG_UP)) {
                hangUps.incrementAndGet(); // not cleared: reported again next run
              }
            }
          });
      for (int i = 0; i < 3; i++) {
        assertEquals(1, manager.runWithTimeout(100));
      }
      assertEquals(3, hangUps.get());

      second.second().close();
      manager.addSubscriber(
          new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
              ops.add(Events.of(second.first(), EventSet.IN));
            }

            @Override
            public void process(Events events, EventOps ops) {
              if (events.eventSet().contains(EventSet.HANG_UP)) {
                ops.remove(events);
              }
            }
          });
      assertEquals(2, manager.runWithTimeout(100));
      assertEquals(1, manager.runWithTimeout(100));
    }
  }

  /** negative_tests.rs test_max_ready_list_size (lazy buffer: no 2 GiB allocation). */
  @Test
  void testMaxReadyListSize() {
    assertEquals(
        "amd64".equals(System.getProperty("os.arch")) ? 178_956_970 : Integer.MAX_VALUE / 16,
        EventManager.MAX_READY_EVENTS_CAPACITY);
    new EventManager<>(EventManager.MAX_READY_EVENTS_CAPACITY).close();
    ReactorException e =
        assertThrows(
            ReactorException.class,
            () -> new EventManager<>(EventManager.MAX_READY_EVENTS_CAPACITY + 1));
    assertEquals(ReactorException.Kind.INVALID_CAPACITY, e.kind());
    assertEquals("event_manager: invalid ready_list capacity", e.getMessage());
    assertEquals(
        ReactorException.Kind.INVALID_CAPACITY,
        assertThrows(ReactorException.class, () -> new EventManager<>(Integer.MAX_VALUE)).kind());
  }

  /** regressions.rs test_reuse_file_descriptor (#41): stale entries are not dispatched. */
  @Test
  void testReuseFileDescriptor() {
    try (EventManager<CounterSubscriberWithData> manager = new EventManager<>()) {
      CounterSubscriberWithData subscriber = new CounterSubscriberWithData(0);
      subscriber.toggleRegistry(true);
      manager.addSubscriber(subscriber);
      subscriber.triggerAll();
      assertEquals(3, manager.runWithTimeout(100));
      long[] counts = subscriber.counts();
      assertEquals(1, counts[0] + counts[1] + counts[2]);
    }
  }

  /** Runs the manager {@code runs} times on a fresh thread (as upstream moves it to one). */
  static <S extends EventSubscriber> List<Integer> onAnotherThread(
      EventManager<S> manager, int runs) throws InterruptedException {
    List<Integer> results = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    for (int i = 0; i < runs; i++) {
                      results.add(manager.run());
                    }
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    return results;
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 5 s");
      }
      Thread.sleep(1);
    }
  }
}
