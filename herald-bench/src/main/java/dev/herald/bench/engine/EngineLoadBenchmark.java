package dev.herald.bench.engine;

import dev.herald.engine.App;
import dev.herald.examples.engine.LoadTest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Upstream's load test: 1,000,000 events of 100-1000 bytes (round-robin sizes) from a producer
 * through an operator to an accumulator, nothing lost, no pacing outside the engine. Each operation
 * is one whole run (a fresh application, its ports, its threads); the score is events per second.
 * The baseline is the same pipeline on JeroMQ sockets ({@link JeromqLoadPipeline}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EngineLoadBenchmark.MESSAGES)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class EngineLoadBenchmark {
  static final int MESSAGES = 1_000_000;
  private long expected;

  /** Computes the sum every complete run must reach. */
  @Setup
  public void setUp() {
    expected = LoadTest.register(new App(), MESSAGES, 100, 1000).expectedTotalLength();
  }

  /**
   * The load test on Herald.
   *
   * @return the accumulated sum
   */
  @Benchmark
  public long herald() {
    App app = new App(FreeLoopbackPort.next(), FreeLoopbackPort.next());
    LoadTest load = LoadTest.register(app, MESSAGES, 100, 1000);
    app.run();
    return check(load.totalLength());
  }

  /**
   * The same pipeline on JeroMQ sockets, upstream's architecture: every event through the proxy.
   *
   * @return the accumulated sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  public long jeromqProxyPipeline() throws InterruptedException {
    return check(new JeromqLoadPipeline(MESSAGES, 100, 1000).run(true));
  }

  /**
   * The same pipeline on JeroMQ sockets wired directly plugin to plugin (no proxy hop).
   *
   * @return the accumulated sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  public long jeromqDirectPipeline() throws InterruptedException {
    return check(new JeromqLoadPipeline(MESSAGES, 100, 1000).run(false));
  }

  private long check(long total) {
    if (total != expected) {
      throw new IllegalStateException("lost events: sum " + total + ", expected " + expected);
    }
    return total;
  }
}
