package dev.herald.bench.nats;

import dev.herald.nats.NatsConnector;
import dev.herald.nats.NatsServer;
import dev.herald.nats.RingExport;
import dev.herald.nats.RingImport;
import dev.herald.nats.RingMessages;
import dev.herald.nats.RingStream;
import dev.herald.nats.StreamSpec;
import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.FollowFrom;
import dev.herald.ring.PollResult;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestEventType;
import dev.herald.ring.TestVlt;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * herald-nats beside bare jnats through one local nats-server. A ring carried by herald-nats
 * ({@code RingExport} from the writer's ring to a stream, {@code RingImport} from the stream into a
 * replica ring, a reader on the replica), beside a bare jnats loop moving the same payload bytes in
 * the same run: JetStream {@code publishAsync} with the same window of 1024 unacknowledged
 * publishes, into a stream made by the same {@link StreamSpec} (file storage, one replica,
 * two-minute duplicate window), read by a durable pull consumer configured as {@code RingImport}'s
 * (ack all, at most {@code 2 * batch} unacknowledged, acknowledged every half batch). The jnats
 * loop runs three ways ({@link Baseline}): the payload alone, with the message id and expected last
 * sequence the ring exporter must send, and with the ring exporter's very messages (the same
 * bytes). Runs alternate, Herald then jnats; the table holds the medians, and the nats-server's CPU
 * time per event of each throughput run. A first round that is not counted warms the JIT up for all
 * sides (otherwise the first side to run pays for compiling the client code they share).
 *
 * <ol>
 *   <li>throughput: {@code events} written as fast as the writer goes; from the first commit to the
 *       last event readable in the replica (jnats: first publish to last message consumed), after
 *       one warm-up event has gone the whole way (consumer made, replica created);
 *   <li>latency, writer commit to replica readable (jnats: publish to consumed), p50 and p99, with
 *       events written at a steady {@code rate}.
 * </ol>
 *
 * <pre>{@code
 * bin/bench-nats [rounds [events [payload-bytes [rate]]]]
 * }</pre>
 */
public final class NatsVsJnats {
  private static final int WINDOW = 1024;

  /** A {@code Herald-Ring} value of the form and length the ring exporter writes here. */
  private static final String SAME_RING_VALUE =
      HeaderCost.RING_ID
          + " 1 "
          + HeaderCost.SCHEMA
          + " 1048576:268435456:0 bench:/dev/shm/bench-source";

  private static final long EPOCH_NANOS = 1_796_140_800_000_000_000L;
  private static final int BATCH = 256;
  private static final int LATENCY_EVENTS_SECONDS = 5;

  /** How long the replica's reader sleeps when it finds no new event. */
  private static final long READER_PAUSE_NANOS = 20_000;

  /** A thread per task: the common pool has one thread on two cores. */
  static final Executor THREADS = task -> Thread.ofPlatform().daemon().start(task);

  private NatsVsJnats() {}

  /** What the bare jnats loop sends with each payload. */
  enum Baseline {
    /** The payload alone. */
    BARE,
    /** A message id and the expected last sequence: the guards the ring exporter must use. */
    GUARDED,
    /**
     * The same bytes as the ring exporter's messages: the guards and the two Herald headers, with
     * values of the same form and length, built per message.
     */
    SAME_MESSAGES
  }

  /**
   * One side's figures of one round: the throughput run's rate and the server's CPU time per event
   * in it, the latency run's percentiles.
   */
  record Run(double eventsPerSecond, double p50, double p99, double serverMicrosPerEvent) {}

  /**
   * Runs the comparison and prints each run, then the table of medians.
   *
   * @param args {@code [rounds [events [payload-bytes [rate]]]]}, by default 3, 200,000, 64, 5,000
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int payload = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
    Path dir = Files.createTempDirectory(shm(), "bench-nats");
    List<Run> herald = new ArrayList<>();
    List<Run> bridge = new ArrayList<>();
    List<Run> jnats = new ArrayList<>();
    List<Run> guarded = new ArrayList<>();
    List<Run> same = new ArrayList<>();
    NatsServer server = NatsServer.start(dir);
    Connection nc = NatsConnector.connect(List.of(server.url()), "bench");
    try {
      for (int round = -1; round < rounds; round++) {
        boolean warmUp = round < 0;
        String name = warmUp ? "w" : "r" + round;
        Duration cpu = server.cpuTime();
        double heraldRate = heraldRun(nc, dir, name + "t", events, payload, 0).eventsPerSecond();
        double heraldServer = micros(server.cpuTime().minus(cpu), events);
        Run heraldLatency =
            heraldRun(nc, dir, name + "l", rate * LATENCY_EVENTS_SECONDS, payload, rate);
        Run heraldRound =
            new Run(heraldRate, heraldLatency.p50(), heraldLatency.p99(), heraldServer);
        cpu = server.cpuTime();
        double bridgeRate =
            BridgeRun.run(server.url(), name + "bt", events, payload, 0, THREADS).eventsPerSecond();
        double bridgeServer = micros(server.cpuTime().minus(cpu), events);
        Run bridgeLatency =
            BridgeRun.run(
                server.url(), name + "bl", rate * LATENCY_EVENTS_SECONDS, payload, rate, THREADS);
        Run bridgeRound =
            new Run(bridgeRate, bridgeLatency.p50(), bridgeLatency.p99(), bridgeServer);
        nc.jetStreamManagement().deleteStream(name + "bt");
        nc.jetStreamManagement().deleteStream(name + "bl");
        cpu = server.cpuTime();
        double jnatsRate =
            jnatsRun(nc, name + "jt", events, payload, 0, Baseline.BARE).eventsPerSecond();
        double jnatsServer = micros(server.cpuTime().minus(cpu), events);
        Run jnatsLatency =
            jnatsRun(nc, name + "jl", rate * LATENCY_EVENTS_SECONDS, payload, rate, Baseline.BARE);
        Run jnatsRound = new Run(jnatsRate, jnatsLatency.p50(), jnatsLatency.p99(), jnatsServer);
        cpu = server.cpuTime();
        double guardedRate =
            jnatsRun(nc, name + "gt", events, payload, 0, Baseline.GUARDED).eventsPerSecond();
        Run guardedRound = new Run(guardedRate, 0, 0, micros(server.cpuTime().minus(cpu), events));
        cpu = server.cpuTime();
        double sameRate =
            jnatsRun(nc, name + "st", events, payload, 0, Baseline.SAME_MESSAGES).eventsPerSecond();
        Run sameRound = new Run(sameRate, 0, 0, micros(server.cpuTime().minus(cpu), events));
        System.out.printf(
            Locale.ROOT,
            "%s: ring %s, engine bridge %s, jnats %s, jnats with id and expected sequence %s,"
                + " jnats with the ring's messages %s%n",
            warmUp ? "warm-up (not counted)" : "round " + (round + 1),
            heraldRound,
            bridgeRound,
            jnatsRound,
            guardedRound,
            sameRound);
        if (!warmUp) {
          herald.add(heraldRound);
          bridge.add(bridgeRound);
          jnats.add(jnatsRound);
          guarded.add(guardedRound);
          same.add(sameRound);
        }
      }
    } finally {
      nc.close();
      server.close();
      deleteTree(dir);
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "medians of %d runs each after a warm-up round, %d events of %d payload bytes, latency at %d events/s, %s, %d"
            + " cores%n",
        rounds,
        events,
        payload,
        rate,
        LocalDate.now(ZoneOffset.UTC),
        Runtime.getRuntime().availableProcessors());
    System.out.println("| scenario | Herald | bare jnats | ratio |");
    System.out.println("|---|---|---|---|");
    row("ring: events/s, writer to replica ring", herald, jnats, Run::eventsPerSecond, "%.0f");
    row("ring: latency p50, µs, commit to replica readable", herald, jnats, Run::p50, "%.0f");
    row("ring: latency p99, µs", herald, jnats, Run::p99, "%.0f");
    row("ring: nats-server CPU per event, µs", herald, jnats, Run::serverMicrosPerEvent, "%.1f");
    row(
        "ring: events/s, against jnats publishing with a message id and an expected last sequence",
        herald,
        guarded,
        Run::eventsPerSecond,
        "%.0f");
    row(
        "ring: nats-server CPU per event, µs, against the same",
        herald,
        guarded,
        Run::serverMicrosPerEvent,
        "%.1f");
    row(
        "ring: events/s, against jnats publishing the ring exporter's messages (same bytes)",
        herald,
        same,
        Run::eventsPerSecond,
        "%.0f");
    row(
        "ring: nats-server CPU per event, µs, against the same",
        herald,
        same,
        Run::serverMicrosPerEvent,
        "%.1f");
    row("engine bridge: events/s, plugin to plugin", bridge, jnats, Run::eventsPerSecond, "%.0f");
    row("engine bridge: latency p50, µs, publish to take", bridge, jnats, Run::p50, "%.0f");
    row("engine bridge: latency p99, µs", bridge, jnats, Run::p99, "%.0f");
    row(
        "engine bridge: nats-server CPU per event, µs",
        bridge,
        jnats,
        Run::serverMicrosPerEvent,
        "%.1f");
  }

  /**
   * Writes {@code count} events into a fresh ring, exports it to a fresh stream, imports that into
   * a replica and reads the replica; each event carries its commit time in a flow tag.
   *
   * @param rate events per second, or 0 for as fast as possible
   */
  private static Run heraldRun(
      Connection nc, Path dir, String name, int count, int payload, int rate) throws Exception {
    Path source = dir.resolve(name + "-source");
    Path replicaPath = dir.resolve(name + "-replica");
    RingWriter writer = RingWriter.create(source, ContentType.TEST, RingSize.ofShifts(20, 28));
    EventRing ring = EventRing.open(source, ContentType.TEST);
    RingStream stream = RingStream.ensure(nc, StreamSpec.of(name));
    RingExport export = new RingExport(nc, stream, ring, FollowFrom.OLDEST, WINDOW);
    RingImport importer = new RingImport(nc, stream, "replica", replicaPath, null, BATCH);
    AtomicBoolean importing = new AtomicBoolean(true);
    CompletableFuture<?> exported =
        CompletableFuture.runAsync(() -> export.run(() -> true), THREADS);
    CompletableFuture<?> imported =
        CompletableFuture.runAsync(
            () -> importer.run(importing::get, Duration.ofMinutes(10)), THREADS);
    Histogram latency = new Histogram(3);
    CountDownLatch warm = new CountDownLatch(1);
    CompletableFuture<Long> lastRead =
        CompletableFuture.supplyAsync(
            () -> readReplica(replicaPath, count, latency, warm), THREADS);
    byte[] body = new byte[payload - TestVlt.HEADER_SIZE];
    Reservation r = writer.newReservation();
    // One event through the whole path first: the consumer and the replica exist before the clock.
    writer.reserve(r, TestEventType.TEST_VLT.code(), TestVlt.sizeOf(body, new byte[0]));
    TestVlt.write(r, body, new byte[0]).contentExt(0, System.nanoTime()).commit();
    while (!warm.await(1, TimeUnit.SECONDS)) {
      if (exported.isDone() || imported.isDone() || lastRead.isDone()) {
        exported.getNow(null); // throws what ended the exporter, importer or reader early
        imported.getNow(null);
        lastRead.getNow(null);
        throw new IllegalStateException("the export or import ended before the first event");
      }
    }
    long start = System.nanoTime();
    for (int n = 0; n < count; n++) {
      pace(start, n, rate);
      writer.reserve(r, TestEventType.TEST_VLT.code(), TestVlt.sizeOf(body, new byte[0]));
      TestVlt.write(r, body, new byte[0]).contentExt(0, System.nanoTime()).commit();
    }
    long end = lastRead.get();
    writer.close(); // the exporter ends once its writer is gone
    exported.get();
    importing.set(false);
    imported.get();
    ring.close();
    Files.deleteIfExists(source);
    Files.deleteIfExists(replicaPath);
    nc.jetStreamManagement().deleteStream(name);
    return new Run(count * 1e9 / (end - start), micros(latency, 50), micros(latency, 99), 0);
  }

  /**
   * Reads the replica's warm-up event, then {@code count} more; returns when the last one was read.
   */
  private static long readReplica(Path path, int count, Histogram latency, CountDownLatch warm) {
    try {
      while (!Files.exists(path) || Files.size(path) == 0) {
        Thread.onSpinWait();
      }
      Thread.sleep(1); // the importer creates the file, then maps and initialises it
      EventRing replica = openWhenReady(path);
      EventReader reader = replica.reader();
      reader.setSeqno(1);
      reader.seekOldest();
      EventDescriptor d = new EventDescriptor();
      int seen = -1;
      while (seen < count) {
        PollResult result = reader.poll(d);
        if (result == PollResult.EVENT) {
          if (seen < 0) {
            warm.countDown();
          } else {
            latency.recordValue(Math.max(0, System.nanoTime() - d.contentExt(0)));
          }
          seen++;
        } else if (result == PollResult.GAP) {
          throw new IllegalStateException("the replica reader was lapped");
        } else {
          // Not a spinning core: on two cores it would starve the exporter, importer and server.
          LockSupport.parkNanos(READER_PAUSE_NANOS);
        }
      }
      long end = System.nanoTime();
      replica.close();
      return end;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static EventRing openWhenReady(Path path) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return EventRing.open(path, ContentType.TEST);
      } catch (RuntimeException e) {
        if (attempt > 1000) {
          throw e;
        }
        Thread.sleep(1);
      }
    }
  }

  /**
   * Publishes {@code count} messages of the same payload size with a window of {@value #WINDOW} and
   * consumes them as {@code RingImport} does; each payload starts with its publish time, and the
   * headers are the {@code baseline}'s.
   */
  private static Run jnatsRun(
      Connection nc, String name, int count, int payload, int rate, Baseline baseline)
      throws Exception {
    RingStream stream = RingStream.ensure(nc, StreamSpec.of(name));
    JetStream js = nc.jetStream();
    nc.jetStreamManagement()
        .addOrUpdateConsumer(
            name,
            ConsumerConfiguration.builder()
                .durable("bare")
                .ackPolicy(AckPolicy.All)
                .maxAckPending(2L * BATCH)
                .deliverPolicy(DeliverPolicy.All)
                .build());
    ConsumerContext consumer = js.getConsumerContext(name, "bare");
    Histogram latency = new Histogram(3);
    CountDownLatch warm = new CountDownLatch(1);
    CompletableFuture<Long> lastRead =
        CompletableFuture.supplyAsync(() -> consume(consumer, count, latency, warm), THREADS);
    Semaphore window = new Semaphore(WINDOW);
    js.publish(stream.subject(), new byte[payload]); // the warm-up message
    warm.await();
    long start = System.nanoTime();
    for (int n = 0; n < count; n++) {
      pace(start, n, rate);
      byte[] body = new byte[payload];
      ByteBuffer.wrap(body).putLong(System.nanoTime());
      window.acquire();
      long seqno = n + 1L; // the warm-up message is the stream's first
      CompletableFuture<PublishAck> ack =
          switch (baseline) {
            case BARE -> js.publishAsync(stream.subject(), body);
            case GUARDED ->
                js.publishAsync(
                    stream.subject(),
                    body,
                    PublishOptions.builder()
                        .messageId("bench:" + n)
                        .expectedLastSequence(seqno)
                        .build());
            case SAME_MESSAGES ->
                js.publishAsync(
                    NatsMessage.builder()
                        .subject(stream.subject())
                        .headers(
                            new Headers()
                                .put(RingMessages.RING, SAME_RING_VALUE)
                                .put(
                                    RingMessages.EVENT,
                                    seqno + " 3 " + (EPOCH_NANOS + n) + " " + n + " 0 0 0"))
                        .data(body)
                        .build(),
                    PublishOptions.builder()
                        .messageId(HeaderCost.RING_ID + ":" + seqno)
                        .expectedLastSequence(seqno)
                        .build());
          };
      ack.whenComplete(
          (a, failure) -> {
            if (failure != null) {
              System.err.println("publish failed: " + failure);
            }
            window.release();
          });
    }
    long end = lastRead.get();
    window.acquire(WINDOW);
    nc.jetStreamManagement().deleteStream(name);
    return new Run(count * 1e9 / (end - start), micros(latency, 50), micros(latency, 99), 0);
  }

  private static long consume(
      ConsumerContext consumer, int count, Histogram latency, CountDownLatch warm) {
    try {
      IterableConsumer messages =
          consumer.iterate(ConsumeOptions.builder().batchSize(BATCH).build());
      int seen = -1;
      int sinceAck = 0;
      Message last = null;
      while (seen < count) {
        Message m = messages.nextMessage(Duration.ofSeconds(10));
        if (m == null) {
          throw new IllegalStateException("no message for 10 s after " + seen);
        }
        if (seen < 0) {
          warm.countDown();
        } else {
          latency.recordValue(
              Math.max(0, System.nanoTime() - ByteBuffer.wrap(m.getData()).getLong()));
        }
        seen++;
        last = m;
        if (++sinceAck >= BATCH / 2) {
          m.ack();
          sinceAck = 0;
        }
      }
      long end = System.nanoTime();
      last.ack();
      messages.close();
      return end;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void pace(long start, int n, int rate) {
    if (rate <= 0) {
      return;
    }
    long due = start + n * 1_000_000_000L / rate;
    for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
      LockSupport.parkNanos(due - now);
    }
  }

  private static double micros(Duration cpu, int events) {
    return cpu.toNanos() / 1_000.0 / events;
  }

  private static double micros(Histogram histogram, double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1_000.0;
  }

  private static void row(
      String scenario, List<Run> herald, List<Run> jnats, ToDoubleFunction<Run> f, String format) {
    double h = median(herald, f);
    double j = median(jnats, f);
    System.out.printf(
        Locale.ROOT, "| %s | " + format + " | " + format + " | %.2f |%n", scenario, h, j, h / j);
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> f) {
    double[] values = runs.stream().mapToDouble(f).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static Path shm() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
