package dev.herald.bench.nats;

import dev.herald.nats.NatsConnector;
import dev.herald.nats.NatsServer;
import dev.herald.nats.RingMessages;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * What the ring exporter's per-message extras cost on the publishing side alone: JetStream {@code
 * publishAsync} of 64-byte messages through one local nats-server with a window of 1024, bare, with
 * a message id, with the id and an expected last sequence, and with the headers of a ring message
 * in three shapes: one header per descriptor field (nine, as herald-nats first wrote them), the two
 * compact headers it writes now, and one short header without the ring's description. Prints
 * messages/s and the nats-server's CPU time per message for each variant and round.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp herald-bench/target/benchmarks.jar \
 *   dev.herald.bench.nats.HeaderCost [rounds [messages]]
 * </pre>
 */
public final class HeaderCost {
  private static final int WINDOW = 1024;

  /** A ring identity, as exporters write it: 32 hex digits. */
  static final String RING_ID = "5f0c2a9e8d7b6a5f4e3d2c1b0a998877";

  /** A schema hash: 64 hex digits. */
  static final String SCHEMA = "00".repeat(32);

  private HeaderCost() {}

  /** The variants, in the order each round runs them. */
  private enum Variant {
    BARE,
    MESSAGE_ID,
    ID_AND_EXPECTED_SEQUENCE,
    NINE_HEADERS_ID_AND_EXPECTED,
    TWO_HEADERS_ID_AND_EXPECTED,
    ONE_SHORT_HEADER_ID_AND_EXPECTED
  }

  /**
   * Runs the comparison.
   *
   * @param args {@code [rounds [messages]]}, default 3 rounds of 40,000 messages per variant
   * @throws Exception if the server cannot start or a publish fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "headers");
    NatsServer server = NatsServer.start(dir);
    Connection nc = NatsConnector.connect(List.of(server.url()), "header cost");
    try {
      for (int round = 1; round <= rounds; round++) {
        for (Variant v : Variant.values()) {
          Duration cpu = server.cpuTime();
          double rate = run(nc, v, count);
          double serverMicros = server.cpuTime().minus(cpu).toNanos() / 1_000.0 / count;
          System.out.printf(
              Locale.ROOT,
              "round %d  %-33s %,9.0f messages/s  nats-server CPU %5.1f µs/message%n",
              round,
              v,
              rate,
              serverMicros);
        }
      }
    } finally {
      nc.close(); // not try-with-resources: Connection.close() throws InterruptedException
      server.close();
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static double run(Connection nc, Variant v, int count) throws Exception {
    String name = "h" + v.ordinal() + "x" + System.nanoTime();
    JetStreamManagement jsm = nc.jetStreamManagement();
    jsm.addStream(
        StreamConfiguration.builder()
            .name(name)
            .subjects(name)
            .storageType(StorageType.File)
            .duplicateWindow(Duration.ofMinutes(2))
            .build());
    JetStream js = nc.jetStream();
    Semaphore window = new Semaphore(WINDOW);
    String ring = RING_ID + " 1 " + SCHEMA + " 65536:134217728:0 node7:/dev/shm/ring";
    long start = System.nanoTime();
    for (long n = 1; n <= count; n++) {
      PublishOptions.Builder options = PublishOptions.builder();
      if (v != Variant.BARE) {
        options.messageId(RING_ID + ":" + n);
      }
      if (v.ordinal() >= Variant.ID_AND_EXPECTED_SEQUENCE.ordinal()) {
        options.expectedLastSequence(n - 1);
      }
      long now = System.currentTimeMillis() * 1_000_000;
      Headers headers =
          switch (v) {
            case NINE_HEADERS_ID_AND_EXPECTED ->
                new Headers()
                    .put("Herald-Ring-Id", RING_ID)
                    .put("Herald-Ring-Source", "node7:/dev/shm/ring")
                    .put("Herald-Ring-Type", "1")
                    .put("Herald-Ring-Schema", SCHEMA)
                    .put("Herald-Ring-Size", "65536:134217728:0")
                    .put("Herald-Seqno", Long.toString(n))
                    .put("Herald-Event-Type", "3")
                    .put("Herald-Record-Nanos", Long.toString(now))
                    .put("Herald-Flow-Tags", n + ",0,0,0");
            case TWO_HEADERS_ID_AND_EXPECTED ->
                new Headers()
                    .put(RingMessages.RING, ring)
                    .put(RingMessages.EVENT, n + " 3 " + now + " " + n + " 0 0 0");
            case ONE_SHORT_HEADER_ID_AND_EXPECTED ->
                new Headers()
                    .put(RingMessages.EVENT, n + " 3 " + now + " " + n + " 0 0 0 " + RING_ID);
            default -> null;
          };
      window.acquire();
      js.publishAsync(
              NatsMessage.builder().subject(name).headers(headers).data(new byte[64]).build(),
              options.build())
          .whenComplete(
              (ack, failure) -> {
                if (failure != null) {
                  System.err.println("publish failed: " + failure);
                }
                window.release();
              });
    }
    window.acquire(WINDOW);
    double rate = count * 1e9 / (System.nanoTime() - start);
    jsm.deleteStream(name);
    return rate;
  }
}
