package dev.herald.bench.reactor;

import dev.herald.reactor.Counter;
import dev.herald.reactor.CounterSubscriber;
import dev.herald.reactor.CounterSubscriberWithData;
import dev.herald.reactor.EventManager;
import dev.herald.reactor.EventSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The five upstream event-manager benchmarks: 200 subscribers on level-triggered eventfds that are
 * never cleared, one blocking {@code run()} per invocation. Scores are nanoseconds per dispatched
 * event ({@code @OperationsPerInvocation} = events per run). {@link NioSelectorBenchmark} does the
 * same work on {@link java.nio.channels.Selector}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ReactorDispatchBenchmark {
  private static final int SUBSCRIBERS = 200;

  /** A manager with its subscribers, closed after the trial. */
  abstract static class ManagerState<S extends EventSubscriber> {
    EventManager<S> manager;
    final List<AutoCloseable> resources = new ArrayList<>();

    /** Builds the manager with {@code adder} called for 0..199, then checks one run's count. */
    void build(int expectedReady, IntConsumer adder) {
      manager = new EventManager<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        adder.accept(i);
      }
      check(manager.run(), expectedReady);
    }

    /** Adds a subscriber whose counter is triggered (if {@code ready}) and closed at the end. */
    void add(S subscriber, Counter counter, boolean ready) {
      manager.addSubscriber(subscriber);
      if (ready) {
        counter.trigger();
      }
      resources.add(counter);
    }

    /**
     * Closes the manager and the eventfds.
     *
     * @throws Exception if a close fails
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
      manager.close();
      for (AutoCloseable resource : resources) {
        resource.close();
      }
    }
  }

  /** process_basic: 200 counter subscribers, all triggered. */
  @State(Scope.Thread)
  public static class Basic extends ManagerState<CounterSubscriber> {
    /** Builds the manager. */
    @Setup(Level.Trial)
    public void setUp() {
      build(
          SUBSCRIBERS,
          i -> {
            CounterSubscriber s = new CounterSubscriber();
            add(s, s.counter(), true);
          });
    }
  }

  /** process_with_arc_mutex: the same behind a lock per subscriber. */
  @State(Scope.Thread)
  public static class SharedState extends ManagerState<LockedSubscriber<CounterSubscriber>> {
    /** Builds the manager. */
    @Setup(Level.Trial)
    public void setUp() {
      build(
          SUBSCRIBERS,
          i -> {
            CounterSubscriber s = new CounterSubscriber();
            add(new LockedSubscriber<>(s), s.counter(), true);
          });
    }
  }

  /** process_with_inner_mut: counters in atomics. */
  @State(Scope.Thread)
  public static class InnerMut extends ManagerState<AtomicCounterSubscriber> {
    /** Builds the manager. */
    @Setup(Level.Trial)
    public void setUp() {
      build(
          SUBSCRIBERS,
          i -> {
            AtomicCounterSubscriber s = new AtomicCounterSubscriber();
            add(s, s.counter(), true);
          });
    }
  }

  /** process_dynamic_dispatch: 100 three-fd subscribers + 100 counters, 400 ready, 256 per run. */
  @State(Scope.Thread)
  public static class DynamicDispatch extends ManagerState<EventSubscriber> {
    /** Builds the manager. */
    @Setup(Level.Trial)
    public void setUp() {
      build(
          256,
          i -> {
            if (i % 2 == 0) {
              CounterSubscriberWithData withData = new CounterSubscriberWithData(i * 50);
              manager.addSubscriber(new LockedSubscriber<>(withData));
              withData.triggerAll();
              for (int c = 0; c < 3; c++) {
                resources.add(withData.counter(c));
              }
            } else {
              CounterSubscriber plain = new CounterSubscriber();
              add(new LockedSubscriber<>(plain), plain.counter(), true);
            }
          });
    }
  }

  /** process_dispatch_few_events: 200 counters, only every 23rd triggered (9 ready). */
  @State(Scope.Thread)
  public static class FewEvents extends ManagerState<CounterSubscriber> {
    /** Builds the manager. */
    @Setup(Level.Trial)
    public void setUp() {
      build(
          9,
          i -> {
            CounterSubscriber s = new CounterSubscriber();
            add(s, s.counter(), i % 23 == 0);
          });
    }
  }

  static void check(int dispatched, int expected) {
    if (dispatched != expected) {
      throw new IllegalStateException("expected " + expected + " ready events, got " + dispatched);
    }
  }

  /**
   * 200 subscribers, all ready.
   *
   * @param state the manager
   * @return the kernel's ready count
   */
  @Benchmark
  @OperationsPerInvocation(SUBSCRIBERS)
  public int basic(Basic state) {
    return state.manager.run();
  }

  /**
   * 200 locked subscribers, all ready.
   *
   * @param state the manager
   * @return the kernel's ready count
   */
  @Benchmark
  @OperationsPerInvocation(SUBSCRIBERS)
  public int sharedState(SharedState state) {
    return state.manager.run();
  }

  /**
   * 200 atomic-counter subscribers, all ready.
   *
   * @param state the manager
   * @return the kernel's ready count
   */
  @Benchmark
  @OperationsPerInvocation(SUBSCRIBERS)
  public int innerMut(InnerMut state) {
    return state.manager.run();
  }

  /**
   * Two subscriber kinds behind one interface, 400 ready, 256 dispatched per run.
   *
   * @param state the manager
   * @return the kernel's ready count
   */
  @Benchmark
  @OperationsPerInvocation(256)
  public int dynamicDispatch(DynamicDispatch state) {
    return state.manager.run();
  }

  /**
   * 9 ready of 200.
   *
   * @param state the manager
   * @return the kernel's ready count
   */
  @Benchmark
  @OperationsPerInvocation(9)
  public int fewEvents(FewEvents state) {
    return state.manager.run();
  }
}
