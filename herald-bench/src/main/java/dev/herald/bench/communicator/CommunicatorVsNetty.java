package dev.herald.bench.communicator;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * herald-communicator against Netty 4.2 on loopback, the same work on both sides (a line, parsed by
 * herald-dispatcher's parser, dispatched to the default commands, {@code ALIVE} answered with
 * {@code ABSOLUTELY}, written by its writer), driven by the same neutral client in this process,
 * with each server in a process of its own. Runs alternate (Herald, Netty, Herald, Netty, ...); the
 * table holds the medians.
 *
 * <ol>
 *   <li>latency of one client with one request in flight: p50, p99, p99.9;
 *   <li>throughput of 64 clients keeping 16 requests each in flight;
 *   <li>10,000 idle connections: time to accept them, heap and resident set per connection.
 * </ol>
 *
 * <pre>{@code
 * bash -c 'ulimit -n 20000; java -cp herald-bench/target/benchmarks.jar \
 *     dev.herald.bench.communicator.CommunicatorVsNetty [rounds [round-trips [idle-connections]]]'
 * }</pre>
 */
public final class CommunicatorVsNetty {
  private static final int LATENCY_WARM_UP = 50_000;
  private static final int CLIENTS = 64;
  private static final int DEPTH = 16;
  private static final long THROUGHPUT_WARM_UP_NANOS = 3_000_000_000L;
  private static final long THROUGHPUT_NANOS = 10_000_000_000L;

  private CommunicatorVsNetty() {}

  /** One server's figures of one run. */
  private record Run(
      String transport,
      double p50,
      double p99,
      double p999,
      double messagesPerSecond,
      IdleConnections.Result idle) {}

  /**
   * Runs the comparison and prints each run, then the table of medians.
   *
   * @param args {@code [rounds [round-trips [idle-connections]]]}, by default 2, 200,000, 10,000
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int roundTrips = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int idle = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    List<Run> herald = new ArrayList<>();
    List<Run> netty = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      herald.add(run(HeraldLineServer.class, roundTrips, idle));
      netty.add(run(NettyLineServer.class, roundTrips, idle));
    }
    System.out.println();
    System.out.println(
        "Herald: " + herald.getFirst().transport() + "; Netty: " + netty.getFirst().transport());
    System.out.printf(
        Locale.ROOT,
        "medians of %d runs each, %s, %d cores%n",
        rounds,
        LocalDate.now(ZoneOffset.UTC),
        Runtime.getRuntime().availableProcessors());
    System.out.println("| scenario | Herald | Netty | ratio Herald/Netty |");
    System.out.println("|---|---|---|---|");
    row("latency p50, µs (1 client)", herald, netty, Run::p50, "%.1f");
    row("latency p99, µs", herald, netty, Run::p99, "%.1f");
    row("latency p99.9, µs", herald, netty, Run::p999, "%.1f");
    row(
        "throughput, messages/s (" + CLIENTS + " clients x " + DEPTH + " in flight)",
        herald,
        netty,
        Run::messagesPerSecond,
        "%,.0f");
    row(
        "accept " + idle + " connections, ms",
        herald,
        netty,
        r -> r.idle().acceptMillis(),
        "%,.0f");
    row(
        "heap per idle connection, bytes",
        herald,
        netty,
        r -> r.idle().heapBytesPerConnection(),
        "%,.0f");
    row(
        "RSS per idle connection, bytes",
        herald,
        netty,
        r -> r.idle().rssBytesPerConnection(),
        "%,.0f");
  }

  private static Run run(Class<?> server, int roundTrips, int idle) throws Exception {
    Histogram latency;
    double rate;
    String transport;
    try (ServerUnderTest s = ServerUnderTest.start(server)) {
      transport = s.transport();
      latency = LatencyClient.run(s.port(), LATENCY_WARM_UP, roundTrips);
      rate =
          PipelinedClients.run(
              s.port(), CLIENTS, DEPTH, THROUGHPUT_WARM_UP_NANOS, THROUGHPUT_NANOS);
    }
    IdleConnections.Result idleResult;
    try (ServerUnderTest s = ServerUnderTest.start(server)) {
      idleResult = IdleConnections.run(s, idle);
    }
    Run run =
        new Run(
            transport,
            latency.getValueAtPercentile(50) / 1e3,
            latency.getValueAtPercentile(99) / 1e3,
            latency.getValueAtPercentile(99.9) / 1e3,
            rate,
            idleResult);
    System.out.printf(
        Locale.ROOT,
        "%-14s p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs; %,.0f messages/s; accept %,.0f ms,"
            + " heap %,.0f B/conn, RSS %,.0f B/conn%n",
        server.getSimpleName(),
        run.p50(),
        run.p99(),
        run.p999(),
        run.messagesPerSecond(),
        idleResult.acceptMillis(),
        idleResult.heapBytesPerConnection(),
        idleResult.rssBytesPerConnection());
    return run;
  }

  private static void row(
      String scenario,
      List<Run> herald,
      List<Run> netty,
      ToDoubleFunction<Run> figure,
      String format) {
    double h = median(herald, figure);
    double n = median(netty, figure);
    System.out.printf(
        Locale.ROOT, "| %s | " + format + " | " + format + " | %.2f |%n", scenario, h, n, h / n);
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
    double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }
}
