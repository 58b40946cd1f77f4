package dev.herald.bench.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
 * The baseline for {@link ReactorDispatchBenchmark}: the same scenarios written the way a Java user
 * would today, on {@link Selector} with {@link Pipe} channels that hold one unread byte (so they
 * stay ready, like the never-cleared eventfds), handlers as key attachments, one {@code select()}
 * and a walk over the selected keys per invocation. Scores are nanoseconds per dispatched event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NioSelectorBenchmark {
  /** What runs for a selected key. */
  interface Handler {
    void handle(SelectionKey key);
  }

  /** Counts keys that are exactly read-ready (as CounterSubscriber counts exactly IN). */
  static final class Counting implements Handler {
    long count;

    @Override
    public void handle(SelectionKey key) {
      if (key.readyOps() == SelectionKey.OP_READ) {
        count++;
      }
    }
  }

  /** Counts in an atomic. */
  static final class AtomicCounting implements Handler {
    final AtomicLong count = new AtomicLong();

    @Override
    public void handle(SelectionKey key) {
      if (key.readyOps() == SelectionKey.OP_READ) {
        count.incrementAndGet();
      }
    }
  }

  /** Serialises another handler with a lock. */
  static final class Locked implements Handler {
    final ReentrantLock lock = new ReentrantLock();
    final Handler inner;

    Locked(Handler inner) {
      this.inner = inner;
    }

    @Override
    public void handle(SelectionKey key) {
      lock.lock();
      try {
        inner.handle(key);
      } finally {
        lock.unlock();
      }
    }
  }

  /** A selector over pipes, built by a scenario; closed after the trial. */
  abstract static class Pipes {
    Selector selector;
    final List<Pipe> pipes = new ArrayList<>();

    void open(Handler handler, boolean ready) throws IOException {
      Pipe pipe = Pipe.open();
      pipe.source().configureBlocking(false);
      pipe.source().register(selector, SelectionKey.OP_READ, handler);
      if (ready) {
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
      }
      pipes.add(pipe);
    }

    /** Opens 200 pipes with the scenario's handlers, every {@code readyEvery}-th one ready. */
    void openAll(java.util.function.Supplier<Handler> handlers, int readyEvery, int expected)
        throws IOException {
      selector = Selector.open();
      for (int i = 0; i < 200; i++) {
        open(handlers.get(), i % readyEvery == 0);
      }
      ReactorDispatchBenchmark.check(selectOnce(this), expected);
    }

    /**
     * Closes every channel.
     *
     * @throws IOException if a close fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      selector.close();
      for (Pipe pipe : pipes) {
        pipe.source().close();
        pipe.sink().close();
      }
    }
  }

  /** basic: 200 counting handlers, all ready. */
  @State(Scope.Thread)
  public static class Basic extends Pipes {
    /**
     * Opens the pipes.
     *
     * @throws IOException if a pipe cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      openAll(Counting::new, 1, 200);
    }
  }

  /** sharedState: 200 locked counting handlers, all ready. */
  @State(Scope.Thread)
  public static class SharedState extends Pipes {
    /**
     * Opens the pipes.
     *
     * @throws IOException if a pipe cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      openAll(() -> new Locked(new Counting()), 1, 200);
    }
  }

  /** innerMut: 200 atomic counting handlers, all ready. */
  @State(Scope.Thread)
  public static class InnerMut extends Pipes {
    /**
     * Opens the pipes.
     *
     * @throws IOException if a pipe cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      openAll(AtomicCounting::new, 1, 200);
    }
  }

  /** fewEvents: 200 counting handlers, every 23rd ready (9). */
  @State(Scope.Thread)
  public static class FewEvents extends Pipes {
    /**
     * Opens the pipes.
     *
     * @throws IOException if a pipe cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      openAll(Counting::new, 23, 9);
    }
  }

  /** dynamicDispatch: 400 ready pipes, locked handlers of two kinds (three pipes share one). */
  @State(Scope.Thread)
  public static class DynamicDispatch extends Pipes {
    /**
     * Opens the pipes.
     *
     * @throws IOException if a pipe cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      selector = Selector.open();
      for (int i = 0; i < 100; i++) {
        Handler shared = new Locked(new Counting());
        for (int c = 0; c < 3; c++) {
          open(shared, true);
        }
        open(new Locked(new AtomicCounting()), true);
      }
      ReactorDispatchBenchmark.check(selectOnce(this), 400);
    }
  }

  static int selectOnce(Pipes state) throws IOException {
    int n = state.selector.select();
    Iterator<SelectionKey> keys = state.selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      keys.remove();
      ((Handler) key.attachment()).handle(key);
    }
    return n;
  }

  /**
   * 200 ready pipes.
   *
   * @param state the selector
   * @return the number of keys selected
   * @throws IOException if select fails
   */
  @Benchmark
  @OperationsPerInvocation(200)
  public int basic(Basic state) throws IOException {
    return selectOnce(state);
  }

  /**
   * 200 ready pipes, locked handlers.
   *
   * @param state the selector
   * @return the number of keys selected
   * @throws IOException if select fails
   */
  @Benchmark
  @OperationsPerInvocation(200)
  public int sharedState(SharedState state) throws IOException {
    return selectOnce(state);
  }

  /**
   * 200 ready pipes, atomic handlers.
   *
   * @param state the selector
   * @return the number of keys selected
   * @throws IOException if select fails
   */
  @Benchmark
  @OperationsPerInvocation(200)
  public int innerMut(InnerMut state) throws IOException {
    return selectOnce(state);
  }

  /**
   * 9 ready pipes of 200.
   *
   * @param state the selector
   * @return the number of keys selected
   * @throws IOException if select fails
   */
  @Benchmark
  @OperationsPerInvocation(9)
  public int fewEvents(FewEvents state) throws IOException {
    return selectOnce(state);
  }

  /**
   * 400 ready pipes, all dispatched in one select.
   *
   * @param state the selector
   * @return the number of keys selected
   * @throws IOException if select fails
   */
  @Benchmark
  @OperationsPerInvocation(400)
  public int dynamicDispatch(DynamicDispatch state) throws IOException {
    return selectOnce(state);
  }
}
