package dev.herald.nats;

import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.FollowFrom;
import dev.herald.ring.RingFollower;
import dev.herald.ring.WriterState;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Follows a ring (live or a snapshot) and publishes every event to a JetStream stream, one message
 * per event ({@link RingMessages} says how), with a bounded window of publishes whose
 * acknowledgements are outstanding.
 *
 * <p>Nothing is lost or stored twice across failures: each message carries a {@code Nats-Msg-Id}
 * made of the {@link RingIdentity} and the sequence number, and expects the stream's last sequence
 * to be the one before it, so JetStream stores the ring's events in order or refuses them. When a
 * publish fails (NATS went away, a server died, an acknowledgement timed out), the exporter waits
 * for the publishes in flight, asks the stream for the last event it holds from this ring and
 * follows the ring again from the next one. A new exporter does the same at start, so a restart
 * resumes where the stream ends. Events the ring no longer holds when they are read (the writer
 * lapped the exporter, a payload expired, an event larger than the server accepts) become one gap
 * marker each: a message without a body naming the missing sequence numbers.
 *
 * <pre>{@code
 * try (Connection nc = NatsConnector.connect(List.of("nats://127.0.0.1:4222"), "export");
 *     EventRing ring = EventRing.openAny(Path.of("/dev/shm/event-recorder-test"))) {
 *   RingStream stream = RingStream.ensure(nc, StreamSpec.of("test"));
 *   RingExport export = new RingExport(nc, stream, ring, FollowFrom.OLDEST, 1024);
 *   export.run(() -> true); // until the ring's writer is gone and every event is acknowledged
 * }
 * }</pre>
 */
public final class RingExport {
  /** How long one publish may wait for its acknowledgement before it counts as failed. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

  /** The most events one drain of the ring hands over before the loop looks at failures. */
  private static final int DRAIN_BATCH = 1024;

  /**
   * The first pause when the ring has nothing new; it doubles up to {@link #MAX_IDLE_PARK_NANOS}.
   */
  private static final long MIN_IDLE_PARK_NANOS = 20_000;

  /** The longest pause between looks at an idle ring. */
  private static final long MAX_IDLE_PARK_NANOS = 1_000_000;

  /** A failure that is not a timeout or a lost connection, repeated this often, is fatal. */
  private static final int MAX_REFUSALS = 5;

  /** JetStream's "wrong last sequence": an earlier message of ours was lost, start over. */
  private static final int WRONG_LAST_SEQUENCE = 10071;

  private final Connection nc;
  private final RingStream stream;
  private final EventRing ring;
  private final RingIdentity identity;
  private final String ringValue;
  private final RingFollower follower;
  private final PublishWindow window;
  private final long maxPayload;

  /** The follower's starting point, where a stream without this ring's events starts. */
  private final long startSeqno;

  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ExportProgress progress = new ExportProgress();
  private volatile long ackedRecordNanos;
  private volatile long retries;

  /**
   * The connection's reconnections before this exporter started: each one since counts as a retry,
   * even when the client's reconnect buffer carried the publishes through and nothing failed.
   */
  private final long reconnectsAtStart;

  // Owned by the thread in run().
  private long nextSeqno;
  private long baseStreamSeq;
  private long publishedSinceSync;
  private boolean stopping;
  private int refusals;
  private long idlePark = MIN_IDLE_PARK_NANOS;

  /**
   * An exporter of {@code ring} into {@code stream}.
   *
   * @param nc the connection (from {@link NatsConnector#connect})
   * @param stream the stream, from {@link RingStream#ensure}
   * @param ring the ring to follow; a snapshot is exported from its oldest event to its end
   * @param from where to start when the stream holds no event of this ring: {@link
   *     FollowFrom#OLDEST} (everything the ring still holds) or {@link FollowFrom#NEWEST}; after a
   *     gap the exporter always resumes at the oldest event still held
   * @param windowSize the most publishes awaiting acknowledgement at once, at least 1
   * @throws NatsException of kind {@link NatsException.Kind#CONFIGURATION} for a window below 1
   */
  public RingExport(
      Connection nc, RingStream stream, EventRing ring, FollowFrom from, int windowSize) {
    if (windowSize < 1) {
      throw new NatsException(
          NatsException.Kind.CONFIGURATION, "the publish window must be 1 or more");
    }
    this.nc = nc;
    this.reconnectsAtStart = nc.getStatistics().getReconnects();
    this.stream = stream;
    this.ring = ring;
    this.identity = RingIdentity.of(ring);
    this.ringValue = RingMessages.ringValue(identity, ring.header());
    this.window =
        new PublishWindow(
            nc,
            windowSize,
            ACK_TIMEOUT,
            new PublishWindow.Listener() {
              @Override
              public void acknowledged(long lastSeqno, long recordNanos) {
                progress.acknowledged(lastSeqno);
                ackedRecordNanos = recordNanos;
              }

              @Override
              public void failed(Throwable cause) {
                failure.compareAndSet(null, cause);
              }
            });
    this.maxPayload = nc.getMaxPayload();
    this.follower = new RingFollower(ring, FollowFrom.OLDEST, this::onEvent);
    if (from == FollowFrom.NEWEST && !ring.isSnapshot()) {
      follower.reader().reset();
    }
    this.startSeqno = follower.reader().nextSeqno();
    this.nextSeqno = startSeqno;
  }

  /**
   * The identity this exporter gives the ring's events.
   *
   * @return the identity
   */
  public RingIdentity identity() {
    return identity;
  }

  /**
   * Exports until the ring's writer is gone (or a snapshot's end is reached) and every event is
   * acknowledged, or until {@code running} says stop; then waits for the acknowledgements in
   * flight. Retries through NATS outages for as long as {@code running} allows.
   *
   * @param running polled between batches; false stops the export
   * @return the final counts
   * @throws NatsException of kind {@link NatsException.Kind#STREAM_MISMATCH} if the stream holds
   *     events of this ring beyond its end, or {@link NatsException.Kind#PUBLISH_FAILED} if
   *     JetStream keeps refusing the events
   */
  public TransferStats run(BooleanSupplier running) {
    try {
      if (resync(running)) {
        export(running);
      }
      return stats();
    } finally {
      window.close();
    }
  }

  private void export(BooleanSupplier running) {
    boolean sourceGone = false;
    while (true) {
      if (failure.get() != null) {
        settle();
        if (!recover(running)) {
          break;
        }
        continue;
      }
      if (stopping || !running.getAsBoolean()) {
        break;
      }
      if (follower.drain(DRAIN_BATCH) > 0) {
        idlePark = MIN_IDLE_PARK_NANOS;
        continue;
      }
      if (sourceGone || follower.atEnd()) {
        settle();
        if (failure.get() == null) {
          break;
        }
        continue;
      }
      if (!ring.isSnapshot() && follower.idle() != WriterState.ALIVE) {
        sourceGone = true; // drain what was committed before it went, then finish
        continue;
      }
      // Back off from a short pause, which keeps the latency of a steady trickle low, to a long
      // one, which keeps an idle exporter off a core.
      window.expire();
      LockSupport.parkNanos(idlePark);
      idlePark = Math.min(2 * idlePark, MAX_IDLE_PARK_NANOS);
    }
    settle();
  }

  /** The follower's handler: one event, or the gap before it, into the window. */
  private void onEvent(EventRing r, EventDescriptor d) {
    if (failure.get() != null || stopping) {
      return; // read again after the rewind
    }
    long seqno = d.seqno();
    if (Long.compareUnsigned(seqno, nextSeqno) > 0) {
      publishGap(nextSeqno, seqno - 1);
    }
    byte[] payload = r.copyPayload(d);
    if (payload == null || payload.length > maxPayload) {
      publishGap(seqno, seqno); // expired, or larger than the server takes: never hidden
    } else {
      String id = RingMessages.eventMessageId(identity, seqno);
      publish(RingMessages.eventHeaders(ringValue, d), payload, id, seqno, d.recordEpochNanos(), 0);
    }
    nextSeqno = seqno + 1;
  }

  private void publishGap(long first, long last) {
    long now = epochNanos();
    publish(
        RingMessages.gapHeaders(ringValue, first, last, now),
        null,
        RingMessages.gapMessageId(identity, first, last),
        last,
        now,
        last - first + 1);
  }

  private void publish(
      Headers headers,
      byte[] body,
      String messageId,
      long lastSeqno,
      long recordNanos,
      long missing) {
    if (stopping || failure.get() != null) {
      return;
    }
    // JetStream stores it once (the id) and only right after the message before it (the expected
    // last sequence), so a lost publish can never leave a hole behind later ones.
    headers
        .put(NatsJetStreamConstants.MSG_ID_HDR, messageId)
        .put(
            NatsJetStreamConstants.EXPECTED_LAST_SEQ_HDR,
            Long.toString(baseStreamSeq + publishedSinceSync));
    if (missing > 0) {
      progress.gapPublished(lastSeqno, missing);
    }
    try {
      window.publish(
          stream.subject(), headers, body, lastSeqno, recordNanos, PublishWindow.NO_DEADLINE);
    } catch (InterruptedException e) {
      stopping = true; // a stop signal: finish what is in flight
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
      return;
    }
    publishedSinceSync++;
  }

  /**
   * Waits until every publish in flight is acknowledged or failed (each times out after {@link
   * #ACK_TIMEOUT}); a stop signal meanwhile does not cut the wait short.
   */
  private void settle() {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + ACK_TIMEOUT.multipliedBy(2).toNanos();
    while (true) {
      try {
        window.awaitEmpty(deadline);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      stopping = true;
      Thread.currentThread().interrupt();
    }
  }

  /** After a failure: count it, refuse to go on for ever against a refusing server, resync. */
  private boolean recover(BooleanSupplier running) {
    Throwable t = failure.get();
    retries++;
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof JetStreamApiException api
        && api.getApiErrorCode() != WRONG_LAST_SEQUENCE
        && api.getErrorCode() != 503) {
      if (++refusals >= MAX_REFUSALS) {
        throw new NatsException(
            NatsException.Kind.PUBLISH_FAILED,
            "JetStream refused event "
                + Long.toUnsignedString(progress.storedThrough() + 1)
                + " of "
                + identity.source()
                + " on stream "
                + stream.name()
                + " "
                + MAX_REFUSALS
                + " times: "
                + api.getErrorDescription(),
            api);
      }
    } else {
      refusals = 0;
    }
    failure.set(null);
    return resync(running);
  }

  /**
   * Asks the stream where this ring's events end and positions the follower after them; retries
   * while JetStream does not answer.
   *
   * @return false if {@code running} said stop while JetStream was unreachable
   */
  private boolean resync(BooleanSupplier running) {
    while (true) {
      if (stopping || !running.getAsBoolean()) {
        return false;
      }
      try {
        Optional<RingStream.Last> last = stream.last();
        long streamSeq = stream.lastSequence();
        long next = startSeqno;
        if (last.isPresent() && last.get().entry().ringId().equals(identity.id())) {
          next = last.get().entry().lastSeqno() + 1;
          if (Long.compareUnsigned(next, ring.lastSeqno() + 1) > 0) {
            throw new NatsException(
                NatsException.Kind.STREAM_MISMATCH,
                "stream "
                    + stream.name()
                    + " holds events of "
                    + identity.source()
                    + " up to "
                    + Long.toUnsignedString(next - 1)
                    + ", beyond the ring's last event "
                    + Long.toUnsignedString(ring.lastSeqno())
                    + ": the stream is not this ring's");
          }
        }
        if (progress.begun()) {
          progress.resynced(next - 1);
        } else {
          progress.begin(next - 1);
        }
        baseStreamSeq = streamSeq;
        publishedSinceSync = 0;
        nextSeqno = next;
        follower.reader().setSeqno(next);
        return true;
      } catch (IOException e) {
        retries++; // NATS is away: the connection reconnects by itself
      } catch (JetStreamApiException e) {
        if (e.getErrorCode() != 503) {
          throw RingStream.failed("read the end of stream " + stream.name(), e);
        }
        retries++;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        stopping = true;
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Where the export stands now; safe to call from any thread.
   *
   * @return the counts, the lag behind the ring and the connection state
   */
  public TransferStats stats() {
    long acked = progress.storedThrough();
    long lag = Math.max(0, ring.lastSeqno() - acked);
    long lagMillis = lag == 0 || acked == 0 ? 0 : (epochNanos() - ackedRecordNanos) / 1_000_000;
    return new TransferStats(
        progress.events(),
        progress.gapMarkers(),
        lag,
        Math.max(0, lagMillis),
        window.inFlight(),
        retries + nc.getStatistics().getReconnects() - reconnectsAtStart,
        nc.getStatus() == Connection.Status.CONNECTED);
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
