package dev.herald.nats;

import dev.herald.ring.ContentType;
import dev.herald.ring.RecordError;
import dev.herald.ring.Reservation;
import dev.herald.ring.RingHeader;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingWriter;
import dev.herald.ring.WriterThreads;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;

/**
 * Consumes a ring's stream with a durable pull consumer and writes a local replica ring with a
 * {@link RingWriter}, so programs on this machine read it with {@code EventRing} and {@code
 * EventReader} like any ring. The replica has the source ring's content type, schema hash and sizes
 * (unless overridden), and each event keeps its type, payload, flow tags and record time; the
 * replica numbers its own sequence numbers. A gap marker becomes one RECORD_ERROR event of type
 * {@code MISSING_EVENT} whose {@code requested_payload_size} is the number of missing events.
 *
 * <p>The replica is a function of the stream: each run starts the durable consumer over at the
 * stream's first message and recreates the ring file. When NATS comes back after an outage, the
 * consumer is started over after the last message written, so nothing waits for redelivery. Memory
 * stays bounded however far behind the importer is: the consumer pulls at most {@code batch}
 * messages at a time and JetStream stops delivering at {@code 2 * batch} unacknowledged ones, so
 * the backlog stays in the stream. Idle means caught up: before it stops on {@code untilIdle}, the
 * importer asks the stream's leader whether anything is left, because a consumer led by a replica
 * still catching up after a restart reports nothing pending too early. When it stops, the importer
 * leaves the replica file in place for readers.
 *
 * <pre>{@code
 * try (Connection nc = NatsConnector.connect(List.of("nats://10.0.0.5:4222"), "import")) {
 *   RingStream stream = RingStream.existing(nc, "test");
 *   RingImport replica = new RingImport(nc, stream, "replica", Path.of("/dev/shm/replica"), null, 256);
 *   replica.run(() -> true, Duration.ofSeconds(5)); // until 5 s pass without a message
 * }
 * }</pre>
 */
public final class RingImport {
  /** How long a delivered message may stay unacknowledged before JetStream sends it again. */
  private static final Duration ACK_WAIT = Duration.ofSeconds(30);

  /** How long one wait for the next message lasts before the loop looks at {@code running}. */
  private static final Duration POLL = Duration.ofMillis(100);

  /** How long messages may wait in the stream without one arriving before the pull restarts. */
  private static final Duration STALL = Duration.ofSeconds(5);

  /** How long an answer to "does the stream hold more?" stays good while the importer is idle. */
  private static final Duration STREAM_CHECK = Duration.ofSeconds(1);

  private final Connection nc;
  private final RingStream stream;
  private final String durable;
  private final Path target;
  private final RingSize sizeOverride;
  private final int batch;

  /** Called after each message is written: a test's way to make the importer slow. */
  private final Runnable afterEachMessage;

  private final RingMessageDecoder decoder = new RingMessageDecoder();
  private RingWriter writer;
  private Reservation reservation;
  private ContentType type;
  private byte[] schemaHash;
  private String lastRingId = "";
  private long lastRingSeqno;
  private long lastStreamSeq;
  private Message unacked;
  private volatile int sinceAck;
  private long streamCheckedNanos;
  private boolean streamHoldsMore;

  private volatile long events;
  private volatile long gaps;
  private volatile long pending;
  private volatile long lastRecordNanos;
  private volatile long retries;

  /**
   * An importer of {@code stream} into a replica ring at {@code target}.
   *
   * @param nc the connection (from {@link NatsConnector#connect})
   * @param stream the stream, from {@link RingStream#existing}
   * @param durable the durable consumer's name (started over at each run)
   * @param target where the replica ring file is created (a dead replica there is replaced)
   * @param sizeOverride the replica's sizes, or null for the source ring's
   * @param batch the most messages pulled at once, at least 1
   */
  public RingImport(
      Connection nc,
      RingStream stream,
      String durable,
      Path target,
      RingSize sizeOverride,
      int batch) {
    this(nc, stream, durable, target, sizeOverride, batch, () -> {});
  }

  RingImport(
      Connection nc,
      RingStream stream,
      String durable,
      Path target,
      RingSize sizeOverride,
      int batch,
      Runnable afterEachMessage) {
    if (batch < 1) {
      throw new NatsException(NatsException.Kind.CONFIGURATION, "the pull batch must be 1 or more");
    }
    if (durable == null || !durable.matches("[A-Za-z0-9_-]+")) {
      throw new NatsException(
          NatsException.Kind.CONFIGURATION,
          "durable name '" + durable + "' is not valid: use letters, digits, '-' and '_'");
    }
    this.nc = nc;
    this.stream = stream;
    this.durable = durable;
    this.target = target;
    this.sizeOverride = sizeOverride;
    this.batch = batch;
    this.afterEachMessage = afterEachMessage;
  }

  /**
   * The consumer's bound on unacknowledged messages.
   *
   * @return {@code 2 * batch}
   */
  public long maxAckPending() {
    return 2L * batch;
  }

  /**
   * Imports until {@code running} says stop or, with {@code untilIdle}, until everything the stream
   * holds is written and no message came for that long; the replica file stays. Retries through
   * NATS outages, starting the consumer over after the last message written. Call it once per
   * importer.
   *
   * @param running polled at least every 100 ms; false stops the import
   * @param untilIdle stop after this long without a message once the stream's leader confirms that
   *     nothing is left, or null to run until stopped
   * @return the final counts
   * @throws NatsException of kind {@link NatsException.Kind#BAD_MESSAGE} for a message a ring
   *     exporter did not write, {@link NatsException.Kind#STREAM_MISMATCH} for a stream whose rings
   *     this build cannot replicate or whose consumer was deleted
   */
  public TransferStats run(BooleanSupplier running, Duration untilIdle) {
    IterableConsumer messages = startConsumer(1);
    try {
      long idleSince = System.nanoTime();
      boolean connected = true;
      boolean outage = false;
      while (running.getAsBoolean()) {
        if (messages == null) {
          messages = restartConsumer();
          idleSince = System.nanoTime();
          continue;
        }
        Message m;
        try {
          m = messages.nextMessage(POLL);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break; // a stop signal
        } catch (JetStreamStatusCheckedException e) {
          throw new NatsException(
              NatsException.Kind.STREAM_MISMATCH,
              "consumer " + durable + " of stream " + stream.name() + " failed: " + e.getMessage(),
              e);
        }
        if (m != null) {
          idleSince = System.nanoTime();
          write(m);
          afterEachMessage.run();
          continue;
        }
        ackWritten();
        boolean up = nc.getStatus() == Connection.Status.CONNECTED;
        long idle = System.nanoTime() - idleSince;
        if (!up) {
          if (connected) {
            retries++;
          }
          outage = true;
          idleSince = System.nanoTime(); // an outage is not idleness
        } else if (outage
            || (idle >= STALL.toNanos()
                && (pending > 0 || streamHoldsMore(System.nanoTime() - STREAM_CHECK.toNanos())))) {
          // Back after an outage, or stalled with messages waiting: the server may have lost the
          // consumer's pull requests or its unacknowledged deliveries, or the consumer may be led
          // by a replica that has not caught up; start it over after the last message written
          // rather than wait for redeliveries.
          messages.stop();
          messages = null;
          outage = false;
        } else if (untilIdle != null
            && pending == 0
            && idle >= untilIdle.toNanos()
            && !streamHoldsMore(idleSince + untilIdle.toNanos())) {
          break; // idle, and the stream's leader confirms that nothing is left to write
        }
        connected = up;
      }
      ackWritten();
    } finally {
      if (messages != null) {
        messages.stop();
      }
      if (writer != null) {
        writer.closeKeepingFile();
      }
    }
    return stats();
  }

  /**
   * Whether the stream holds messages after the last one written, from an answer given at or after
   * {@code notBefore} (a {@link System#nanoTime} value). The consumer's own pending count cannot
   * tell: the node leading the consumer may be a replica still catching up after a restart, which
   * delivers what it has and then reports nothing pending. An importer that cannot get an answer is
   * not idle.
   */
  private boolean streamHoldsMore(long notBefore) {
    if (streamCheckedNanos == 0 || streamCheckedNanos - notBefore < 0) {
      streamCheckedNanos = System.nanoTime();
      try {
        streamHoldsMore = stream.holdsAfter(lastStreamSeq);
      } catch (IOException | JetStreamApiException e) {
        streamHoldsMore = true;
      }
    }
    return streamHoldsMore;
  }

  /**
   * Starts the consumer over after the last message written; null (to try again) while JetStream
   * does not answer yet, e.g. a server still recovering its store.
   */
  private IterableConsumer restartConsumer() {
    try {
      return startConsumer(lastStreamSeq + 1);
    } catch (NatsException e) {
      if (e.kind() != NatsException.Kind.UNREACHABLE) {
        throw e;
      }
      retries++;
      return null;
    }
  }

  /**
   * Starts the durable consumer over at stream sequence {@code from} (1: the stream's first
   * message) and pulls from it.
   */
  private IterableConsumer startConsumer(long from) {
    JetStreamManagement jsm;
    JetStream js;
    try {
      jsm = nc.jetStreamManagement();
      js = nc.jetStream();
    } catch (IOException e) {
      throw RingStream.unanswered("stream " + stream.name(), e);
    }
    String what = "consumer " + durable + " of stream " + stream.name();
    ConsumerConfiguration.Builder config =
        ConsumerConfiguration.builder()
            .durable(durable)
            .ackPolicy(AckPolicy.All)
            .ackWait(ACK_WAIT)
            .maxAckPending(maxAckPending());
    if (from > 1) {
      config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(from);
    } else {
      config.deliverPolicy(DeliverPolicy.All);
    }
    RingStream.patiently(
        what,
        () -> {
          try {
            jsm.deleteConsumer(stream.name(), durable);
          } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
              throw e;
            }
          }
          return jsm.addOrUpdateConsumer(stream.name(), config.build());
        });
    ConsumerContext consumer =
        RingStream.patiently(what, () -> js.getConsumerContext(stream.name(), durable));
    return RingStream.patiently(
        what, () -> consumer.iterate(ConsumeOptions.builder().batchSize(batch).build()));
  }

  /** Writes one message into the replica (unless it was written already) and acks now and then. */
  private void write(Message m) {
    NatsJetStreamMetaData meta = m.metaData();
    long streamSeq = meta.streamSequence();
    pending = meta.pendingCount();
    if (streamSeq > lastStreamSeq) { // not one delivered again after an ack was lost
      lastStreamSeq = streamSeq;
      writeEntry(m, streamSeq);
    }
    unacked = m;
    if (++sinceAck >= Math.max(1, batch / 2)) {
      ackWritten();
    }
  }

  private void writeEntry(Message m, long streamSeq) {
    StreamEntry entry =
        decoder.read(
            m.getHeaders(),
            m.getData(),
            () -> "message " + streamSeq + " of stream " + stream.name());
    if (entry.ringId().equals(lastRingId)
        && Long.compareUnsigned(entry.lastSeqno(), lastRingSeqno) <= 0) {
      return; // published twice, beyond the duplicate window
    }
    lastRingId = entry.ringId();
    lastRingSeqno = entry.lastSeqno();
    ensureWriter(entry.ring(), streamSeq);
    switch (entry) {
      case StreamEntry.Event e -> {
        writer
            .reserve(reservation, e.eventType(), e.payload().length, e.recordEpochNanos())
            .putBytes(0, e.payload());
        for (int i = 0; i < 4; i++) {
          reservation.contentExt(i, e.flowTags()[i]);
        }
        reservation.commit();
        lastRecordNanos = e.recordEpochNanos();
        events++;
      }
      case StreamEntry.Gap g -> {
        writer
            .reserve(reservation, RecordError.EVENT_TYPE, RecordError.SIZE, g.detectedEpochNanos())
            .putShort(0, (short) RecordError.ErrorType.MISSING_EVENT.ordinal())
            .putShort(2, (short) 0)
            .putInt(4, 0)
            .putLong(8, g.count())
            .commit();
        lastRecordNanos = g.detectedEpochNanos();
        gaps++;
      }
    }
  }

  /** Acknowledges every message up to the last one written (the consumer's ack policy is all). */
  private void ackWritten() {
    if (unacked != null) {
      unacked.ack();
      unacked = null;
      sinceAck = 0;
    }
  }

  /** Creates the replica from the first entry's ring header; later entries must match it. */
  private void ensureWriter(RingHeader source, long streamSeq) {
    if (writer != null) {
      if (source.contentTypeCode() != type.code()
          || !Arrays.equals(source.schemaHash(), schemaHash)) {
        throw new NatsException(
            NatsException.Kind.STREAM_MISMATCH,
            "message "
                + streamSeq
                + " of stream "
                + stream.name()
                + " comes from a ring of content type "
                + source.contentTypeCode()
                + ", but the replica holds type "
                + type.code()
                + " (same schema hash required): one stream per kind of ring");
      }
      return;
    }
    ContentType t = source.contentType();
    if (t == null || t == ContentType.NONE) {
      throw new NatsException(
          NatsException.Kind.STREAM_MISMATCH,
          "stream "
              + stream.name()
              + " holds a ring of content type "
              + source.contentTypeCode()
              + ", which this build cannot create");
    }
    if (!Arrays.equals(t.schemaHash(), source.schemaHash())) {
      throw new NatsException(
          NatsException.Kind.STREAM_MISMATCH,
          "stream "
              + stream.name()
              + " holds "
              + t.ringName()
              + " events of schema "
              + source.schemaHashHex()
              + "; this build writes "
              + HexFormat.of().formatHex(t.schemaHash())
              + ": import with a matching Herald build");
    }
    type = t;
    schemaHash = source.schemaHash();
    writer =
        RingWriter.create(
            target, t, sizeOverride != null ? sizeOverride : source.size(), WriterThreads.CONFINED);
    reservation = writer.newReservation();
  }

  /**
   * Where the import stands now; safe to call from any thread.
   *
   * @return the counts, the lag behind the stream and the connection state
   */
  public TransferStats stats() {
    long lag = pending;
    long lagMillis = lag == 0 ? 0 : Math.max(0, (epochNanos() - lastRecordNanos) / 1_000_000);
    return new TransferStats(
        events,
        gaps,
        lag,
        lagMillis,
        sinceAck,
        retries,
        nc.getStatus() == Connection.Status.CONNECTED);
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
