package dev.herald.bench.reactor;

import dev.herald.os.EventFd;
import dev.herald.os.internal.Epoll;
import dev.herald.os.internal.EpollEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The kernel's share of {@link ReactorDispatchBenchmark#basic}: one {@code epoll_wait} returning
 * the same 200 ready eventfds, with no dispatch at all. What the event managers add is their score
 * minus this one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class EpollFloorBenchmark {
  private Epoll epoll;
  private EpollEvents ready;
  private final List<EventFd> fds = new ArrayList<>();

  /** Registers 200 readable eventfds. */
  @Setup(Level.Trial)
  public void setUp() {
    epoll = Epoll.create();
    ready = EpollEvents.allocate(256);
    for (int i = 0; i < 200; i++) {
      EventFd fd = EventFd.create(EventFd.NONBLOCK);
      fd.add(1);
      epoll.add(fd.fd(), Epoll.IN, fd.fd());
      fds.add(fd);
    }
  }

  /** Closes everything. */
  @TearDown(Level.Trial)
  public void close() {
    fds.forEach(EventFd::close);
    ready.close();
    epoll.close();
  }

  /**
   * One wait, 200 entries.
   *
   * @return the ready count
   */
  @Benchmark
  @OperationsPerInvocation(200)
  public int epollWait() {
    return epoll.await(ready, -1);
  }
}
