package dev.herald.bench.engine;

import dev.herald.engine.App;
import dev.herald.engine.EventType;
import dev.herald.engine.ExternalPlugin;
import dev.herald.engine.PyEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * External-plugin round trips through the unmodified Python helper: one round trip is {@code
 * publish_msg} (publish + ack) then {@code get_next_msg} returning that same event, timed in Python
 * and recorded here in an HdrHistogram. The baseline runs the same Python loop against a bare
 * JeroMQ REP that answers each request at once (the wire's floor: two REQ/REP exchanges); a third
 * line runs it against a libzmq REP in a second Python process, the floor without Java. Not JMH:
 * the work happens in another process.
 *
 * <pre>{@code
 * java -cp herald-bench/target/benchmarks.jar dev.herald.bench.engine.PythonRoundTrips [round trips]
 * }</pre>
 */
public final class PythonRoundTrips {
  private static final String SCRIPT =
      """
      import sys, time, zmq
      from events import get_plugin_socket, get_next_msg, publish_msg, send_quit_command
      port, count, warmup = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
      socket = get_plugin_socket(zmq.Context(), port, "127.0.0.1")
      payload = b"Ping" + b"x" * 100
      for _ in range(warmup):
          publish_msg(socket, payload)
          get_next_msg(socket)
      latencies = []
      start = time.perf_counter_ns()
      for _ in range(count):
          t0 = time.perf_counter_ns()
          publish_msg(socket, payload)
          event = get_next_msg(socket)
          latencies.append(time.perf_counter_ns() - t0)
          if event != payload:
              raise SystemExit("wrong event: %r" % event[:20])
      elapsed = time.perf_counter_ns() - start
      send_quit_command(socket)
      socket.close(linger=1000)
      print(elapsed)
      print("\\n".join(str(l) for l in latencies))
      """;

  /** The same answers as the bare JeroMQ REP, from libzmq in a second Python process. */
  private static final String LIBZMQ_REP =
      """
      import sys, zmq
      socket = zmq.Context().socket(zmq.REP)
      socket.bind("tcp://127.0.0.1:" + sys.argv[1])
      last = b""
      while True:
          request = socket.recv()
          if request == b"plugin_command: quit":
              break
          if request == b"plugin_command: next_msg":
              socket.send(last)
          else:
              last = request
              socket.send(b"event-engine: msg published")
      socket.close(linger=0)
      """;

  private PythonRoundTrips() {}

  /**
   * Runs both measurements and prints one line each plus the ratio.
   *
   * @param args optional: the number of measured round trips (default 20000)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int warmup = count / 5;
    Path dir = PyEvents.install(Files.createTempDirectory("herald-bench-pyevents"));
    Path script = dir.resolve("round_trips.py");
    Files.writeString(script, SCRIPT);
    // A first pass warms the JIT for both sides (JeroMQ code is shared); the second is reported.
    herald(script, count, warmup);
    bareRep(script, count, warmup);
    Result baseline = bareRep(script, count, warmup);
    Result herald = herald(script, count, warmup);
    Path server = dir.resolve("libzmq_rep.py");
    Files.writeString(server, LIBZMQ_REP);
    Result libzmq = libzmqRep(script, server, count, warmup);
    print("herald engine", herald);
    print("bare JeroMQ REP", baseline);
    print("libzmq REP (py)", libzmq);
    System.out.printf(
        "ratio (herald / bare REP): rate %.2f, p50 %.2f, p99 %.2f%n",
        herald.perSecond() / baseline.perSecond(),
        (double) herald.p50() / baseline.p50(),
        (double) herald.p99() / baseline.p99());
  }

  record Result(double perSecond, long p50, long p99, long max) {}

  private static void print(String name, Result r) {
    System.out.printf(
        "%-16s %,10.0f round trips/s   p50 %,8.1f us   p99 %,8.1f us   max %,9.1f us%n",
        name, r.perSecond(), r.p50() / 1e3, r.p99() / 1e3, r.max() / 1e3);
  }

  private static Result herald(Path script, int count, int warmup) throws Exception {
    int port = FreeLoopbackPort.next();
    App app =
        new App(FreeLoopbackPort.next(), FreeLoopbackPort.next())
            .registerExternalPlugin(ExternalPlugin.of("py", port, EventType.named("Ping")));
    Process python = start(script, port, count, warmup);
    Thread runner = Thread.ofPlatform().start(app::run);
    Result result = collect(python, count);
    runner.join();
    return result;
  }

  private static Result bareRep(Path script, int count, int warmup) throws Exception {
    int port = FreeLoopbackPort.next();
    try (ZMQ.Context context = ZMQ.context(1);
        ZMQ.Socket rep = context.socket(SocketType.REP)) {
      rep.bind("tcp://127.0.0.1:" + port);
      Process python = start(script, port, count, warmup);
      Thread server =
          Thread.ofPlatform()
              .start(
                  () -> {
                    byte[] nextMsg = "plugin_command: next_msg".getBytes(StandardCharsets.US_ASCII);
                    byte[] quit = "plugin_command: quit".getBytes(StandardCharsets.US_ASCII);
                    byte[] ack = "event-engine: msg published".getBytes(StandardCharsets.US_ASCII);
                    byte[] last = new byte[0];
                    while (true) {
                      byte[] request = rep.recv(0);
                      if (Arrays.equals(request, quit)) {
                        return;
                      }
                      if (Arrays.equals(request, nextMsg)) {
                        rep.send(last, 0);
                      } else {
                        last = request;
                        rep.send(ack, 0);
                      }
                    }
                  });
      Result result = collect(python, count);
      server.join();
      return result;
    }
  }

  private static Result libzmqRep(Path script, Path server, int count, int warmup)
      throws Exception {
    int port = FreeLoopbackPort.next();
    Process rep =
        new ProcessBuilder(PyEvents.PYTHON, server.toString(), Integer.toString(port))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Result result = collect(start(script, port, count, warmup), count);
    rep.waitFor();
    return result;
  }

  private static Process start(Path script, int port, int count, int warmup) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                PyEvents.PYTHON,
                script.toString(),
                Integer.toString(port),
                Integer.toString(count),
                Integer.toString(warmup))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("PYTHONPATH", script.getParent().toString());
    return builder.start();
  }

  private static Result collect(Process python, int count) throws Exception {
    Histogram histogram = new Histogram(3);
    long elapsed;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
      elapsed = Long.parseLong(lines.readLine().trim());
      for (int i = 0; i < count; i++) {
        histogram.recordValue(Long.parseLong(lines.readLine().trim()));
      }
    }
    if (python.waitFor() != 0) {
      throw new IllegalStateException("the Python client failed: exit " + python.exitValue());
    }
    return new Result(
        count * 1e9 / elapsed,
        histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(99),
        histogram.getMaxValue());
  }
}
