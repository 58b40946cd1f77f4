package dev.herald.bench.nats;

import dev.herald.engine.App;
import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import dev.herald.nats.NatsBridge;
import dev.herald.nats.NatsBridgeSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.HdrHistogram.Histogram;

/**
 * One run of the engine bridge: application A's plugin publishes events of one type, A's {@link
 * NatsBridge} exports them, B's bridge imports them and B's plugin takes them. Each event's body
 * starts with its publish time. One warm-up event goes the whole way before the clock starts.
 */
final class BridgeRun {
  private static final EventType TYPE = EventType.named("Bench");

  private BridgeRun() {}

  /**
   * Moves {@code count} events of {@code size} bytes (filter included) from A to B.
   *
   * @param rate events per second, or 0 for as fast as possible
   * @return events per second from the first publish to the last take, and the latencies
   */
  static NatsVsJnats.Run run(
      String url, String name, int count, int size, int rate, Executor threads) throws Exception {
    NatsBridgeSettings settings =
        NatsBridgeSettings.of(url).stream(name, "bench." + name).maxPendingAcks(1024);
    Histogram latency = new Histogram(3);
    CountDownLatch warm = new CountDownLatch(1);
    CompletableFuture<Long> started = new CompletableFuture<>();
    CompletableFuture<Long> lastTaken = new CompletableFuture<>();
    NatsBridge exporter = NatsBridge.connect(settings.exporting(TYPE));
    NatsBridge importer = NatsBridge.connect(settings.importing(TYPE));
    App a =
        new App(freePort(), freePort())
            .registerPlugin(exporter)
            .registerPlugin(
                plugin(
                    "producer",
                    List.of(),
                    (publisher, inbox) -> {
                      publisher.publish(event(size));
                      warm.await();
                      long start = System.nanoTime();
                      started.complete(start);
                      for (int n = 0; n < count; n++) {
                        NatsVsJnats.pace(start, n, rate);
                        publisher.publish(event(size));
                      }
                    }));
    App b =
        new App(freePort(), freePort())
            .registerPlugin(importer)
            .registerPlugin(
                plugin(
                    "consumer",
                    List.of(TYPE),
                    (publisher, inbox) -> {
                      inbox.take();
                      warm.countDown();
                      for (int n = 0; n < count; n++) {
                        byte[] event = inbox.take();
                        long sent = ByteBuffer.wrap(event, TYPE.filter().length, 8).getLong();
                        latency.recordValue(Math.max(0, System.nanoTime() - sent));
                      }
                      lastTaken.complete(System.nanoTime());
                    }));
    CompletableFuture<?> runA = CompletableFuture.runAsync(a::run, threads);
    CompletableFuture<?> runB = CompletableFuture.runAsync(b::run, threads);
    long end = lastTaken.get();
    long start = started.get();
    a.close();
    b.close();
    runA.get();
    runB.get();
    exporter.close();
    importer.close();
    return new NatsVsJnats.Run(
        count * 1e9 / (end - start),
        latency.getValueAtPercentile(50) / 1_000.0,
        latency.getValueAtPercentile(99) / 1_000.0,
        0);
  }

  private static byte[] event(int size) {
    byte[] body = new byte[size - TYPE.filter().length];
    ByteBuffer.wrap(body).putLong(System.nanoTime());
    return TYPE.prefixed(body);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A plugin body. */
  @FunctionalInterface
  private interface Body {
    void run(Publisher publisher, Inbox inbox) throws Exception;
  }

  private static Plugin plugin(String name, List<EventType> subscriptions, Body body) {
    return new Plugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<EventType> subscriptions() {
        return subscriptions;
      }

      @Override
      public void start(Publisher publisher, Inbox inbox) throws Exception {
        body.run(publisher, inbox);
      }
    };
  }
}
