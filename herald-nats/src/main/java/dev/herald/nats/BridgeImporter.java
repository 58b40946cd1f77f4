package dev.herald.nats;

import dev.herald.engine.EngineException;
import dev.herald.engine.Publisher;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The receiving half of a bridge: an ordered consumer of the stream, from the first event stored
 * after the bridge connected, publishing each event's bytes into the application. It remembers the
 * stream sequence of the last event it delivered and, after the connection comes back (or when its
 * consumer dies with a restarted server), makes a new consumer from the next one: nothing stored is
 * skipped or repeated. While the application's queues are full, the publish waits and no more is
 * pulled: the rest stays in the stream.
 */
final class BridgeImporter {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int STREAM_NOT_FOUND = 10059;
  private static final int NOT_FOUND = 404;

  /**
   * After this long without a message the stream is asked whether events wait for the consumer: one
   * that lost its pulls with a restarted server delivers nothing, and is made again.
   */
  private static final long STALL_NANOS = Duration.ofSeconds(2).toNanos();

  /** A wait for the next message that ends much sooner than asked means a dead subscription. */
  private static final long DEAD_POLL_NANOS = POLL.toNanos() / 10;

  /**
   * Each pull lasts 2 s and the server sends heartbeats at half that, so a consumer lost with a
   * restarted server is noticed within about a second.
   */
  private static final ConsumeOptions PULLS = ConsumeOptions.builder().expiresIn(2_000).build();

  private final Connection connection;
  private final String stream;
  private final List<String> subjects;
  private final List<String> filters;
  private final Set<String> wanted;
  private final long retryPauseMs;
  private final LongAdder imported = new LongAdder();
  private long next;
  private boolean opened;
  private volatile boolean stopped;

  BridgeImporter(Connection connection, NatsBridgeSettings settings, long startSequence) {
    this.connection = connection;
    this.stream = settings.stream();
    this.next = startSequence;
    this.retryPauseMs = settings.reconnectWait().toMillis();
    this.subjects = settings.imports().stream().map(settings::subjectOf).toList();
    // Servers before 2.10 take one filter subject per consumer: with several imported types, read
    // the whole stream and skip the others here, which keeps the order across types.
    boolean oneFilter =
        subjects.size() == 1 || connection.getServerInfo().isSameOrNewerThanVersion("2.10.0");
    this.filters = oneFilter ? subjects : List.of(settings.subjectPrefix() + ".>");
    this.wanted = oneFilter ? null : Set.copyOf(subjects);
  }

  /** Imports until {@link #stop()} or until the application closes. */
  void run(Publisher publisher) throws Exception {
    while (!stopped) {
      long reconnects = connection.getStatistics().getReconnects();
      IterableConsumer consumer = open();
      if (consumer == null) {
        return;
      }
      try (consumer) {
        if (!deliver(consumer, reconnects, publisher)) {
          return;
        }
      }
    }
  }

  void stop() {
    stopped = true;
  }

  long imported() {
    return imported.sum();
  }

  /**
   * Delivers until the connection was re-established or the consumer died (returns true: make a new
   * one) or until the bridge stops or the application closes (returns false).
   */
  private boolean deliver(IterableConsumer consumer, long reconnects, Publisher publisher)
      throws InterruptedException {
    long progress = System.nanoTime();
    while (!stopped) {
      if (connection.getStatistics().getReconnects() != reconnects) {
        return true;
      }
      long asked = System.nanoTime();
      Message message;
      try {
        message = consumer.nextMessage(POLL);
      } catch (JetStreamStatusCheckedException | RuntimeException e) {
        // The server ended the consumer (deleted, or lost with a restart), or the client gave up
        // on it: make a new one after the last event delivered.
        return true;
      }
      if (message == null) {
        long now = System.nanoTime();
        if (now - asked < DEAD_POLL_NANOS) {
          return true;
        }
        if (now - progress > STALL_NANOS) {
          progress = now;
          if (stalled()) {
            return true;
          }
        }
        continue;
      }
      progress = System.nanoTime();
      next = message.metaData().streamSequence() + 1;
      if (wanted != null && !wanted.contains(message.getSubject())) {
        continue;
      }
      byte[] data = message.getData();
      try {
        publisher.publish(data == null ? new byte[0] : data);
      } catch (EngineException e) {
        if (e.kind() == EngineException.Kind.CLOSED
            || e.kind() == EngineException.Kind.INTERRUPTED) {
          return false; // the application is closing
        }
        throw e;
      }
      imported.increment();
    }
    return false;
  }

  /**
   * Whether a consumer that delivered nothing for a while missed events the stream holds. The
   * stream is asked, not the consumer: jnats answers a consumer's info from a copy taken at the
   * first question, and a consumer lost with a restarted server cannot answer at all.
   */
  private boolean stalled() {
    try {
      JetStreamManagement jsm = connection.jetStreamManagement();
      for (String subject : subjects) {
        try {
          if (jsm.getLastMessage(stream, subject).getSeq() >= next) {
            return true;
          }
        } catch (JetStreamApiException e) {
          if (e.getErrorCode() != NOT_FOUND) {
            throw e;
          }
        }
      }
      return false;
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      return true;
    }
  }

  /**
   * Makes an ordered consumer from the next sequence, retrying while the server is away or not yet
   * ready. The first consumer must come (the stream was checked at connect, so a refusal then is a
   * configuration the bridge cannot import with); once one has, every failure to make another is
   * taken for a server still recovering, which can answer with several errors before it is ready.
   *
   * @return the consumer, or null once stopped
   */
  private IterableConsumer open() throws InterruptedException {
    OrderedConsumerConfiguration config =
        new OrderedConsumerConfiguration()
            .filterSubjects(filters)
            .deliverPolicy(DeliverPolicy.ByStartSequence)
            .startSequence(next);
    while (!stopped) {
      try {
        IterableConsumer consumer =
            connection
                .jetStream()
                .getStreamContext(stream)
                .createOrderedConsumer(config)
                .iterate(PULLS);
        opened = true;
        return consumer;
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        if (!opened && refusedForGood(e)) {
          throw new NatsException(
              NatsException.Kind.CONSUMER_FAILED,
              "cannot import from stream " + stream + ": " + e.getMessage(),
              e);
        }
      }
      Thread.sleep(retryPauseMs);
    }
    return null;
  }

  /**
   * Whether a failure to make the first consumer is final: a server still starting answers
   * "unavailable" or "stream not found", and the client throws {@link IllegalStateException} while
   * it is disconnected; anything else is.
   */
  private static boolean refusedForGood(Exception e) {
    return switch (e) {
      case JetStreamApiException api ->
          api.getErrorCode() != 503 && api.getApiErrorCode() != STREAM_NOT_FOUND;
      case IllegalStateException disconnected -> false;
      case RuntimeException other -> true;
      default -> false; // IOException: no answer yet
    };
  }
}
