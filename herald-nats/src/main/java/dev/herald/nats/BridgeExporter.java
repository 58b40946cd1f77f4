package dev.herald.nats;

import dev.herald.engine.EventType;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sending half of a bridge: publishes each exported event, bytes unchanged, to its type's
 * subject through a {@link PublishWindow}, keeping at most a window of acknowledgements
 * outstanding. One thread sends, in the order the engine delivered, so each local publisher's order
 * holds in the stream. It never hands jnats an event while disconnected (the connection has no
 * reconnect buffer): the event waits here, and later ones wait in the bridge's engine queue, whose
 * overflow policy then applies. An event the server never acknowledged is counted as dropped, never
 * sent again, so no event overtakes another. After a failed acknowledgement or a reconnection,
 * nothing more is sent until every event in flight has its answer and the stream answers again: a
 * restarted server accepts connections before JetStream is ready, and would otherwise refuse a
 * whole window.
 */
final class BridgeExporter {
  /** A deadline that never passes. */
  static final long FOREVER = PublishWindow.NO_DEADLINE;

  private static final long RECONNECT_POLL_MS = 5;

  private final Connection connection;
  private final JetStreamManagement management;
  private final String stream;
  private final long retryPauseMs;
  private final List<Target> targets;

  /** Null when nothing is exported: an importing bridge needs no subscription for answers. */
  private final PublishWindow window;

  private final LongAdder exported = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile boolean failed;
  private long reconnects;

  /** An exported type and its subject. */
  private record Target(EventType type, String subject) {}

  BridgeExporter(Connection connection, NatsBridgeSettings settings) throws IOException {
    this.connection = connection;
    this.management = connection.jetStreamManagement();
    this.stream = settings.stream();
    this.retryPauseMs = settings.reconnectWait().toMillis();
    // The longest filter first: an event of TypeAB goes to TypeAB's subject, not TypeA's.
    this.targets =
        settings.exports().stream()
            .map(type -> new Target(type, settings.subjectOf(type)))
            .sorted(Comparator.comparingInt((Target t) -> t.type().filter().length).reversed())
            .toList();
    this.window =
        targets.isEmpty()
            ? null
            : new PublishWindow(
                connection,
                settings.maxPendingAcks(),
                settings.ackTimeout(),
                new PublishWindow.Listener() {
                  @Override
                  public void acknowledged(long key, long note) {
                    exported.increment();
                  }

                  @Override
                  public void failed(Throwable cause) {
                    dropped.increment();
                    failed = true;
                  }
                });
  }

  /**
   * Sends one event, waiting for the connection and for room in the window.
   *
   * @param deadline a {@link System#nanoTime()} after which the event is dropped instead, or {@link
   *     #FOREVER}
   * @throws InterruptedException if interrupted while waiting; the event was not sent
   */
  void send(byte[] event, long deadline) throws InterruptedException {
    String subject = subjectOf(event);
    if (subject == null || event.length > connection.getMaxPayload()) {
      // Not an exported type (cannot happen through the engine's filters), or larger than the
      // server's max_payload: it would fail every time.
      dropped.increment();
      return;
    }
    while (true) {
      if ((troubled() && !recover(deadline)) || !awaitConnected(deadline)) {
        dropped.increment();
        return;
      }
      try {
        if (!window.publish(subject, null, event, 0, 0, deadline)) {
          dropped.increment(); // no room before the deadline
        }
        return;
      } catch (IllegalStateException e) {
        // The connection went away between the check and the publish; nothing was queued.
      }
    }
  }

  /** Counts an event that cannot be exported (several frames). */
  void drop() {
    dropped.increment();
  }

  /**
   * Waits until every sent event is acknowledged or the deadline passes; those still pending then
   * count as dropped.
   */
  void finish(long deadline) {
    if (window == null) {
      return;
    }
    try {
      window.awaitEmpty(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    window.abandon(); // what is still unanswered counts as dropped; closing the bridge's own
    // connection then ends the window's subscription
  }

  long exported() {
    return exported.sum();
  }

  long dropped() {
    return dropped.sum();
  }

  int pendingAcks() {
    return window == null ? 0 : window.inFlight();
  }

  private String subjectOf(byte[] event) {
    for (Target target : targets) {
      if (target.type().matches(event)) {
        return target.subject();
      }
    }
    return null;
  }

  /** Whether an acknowledgement failed, or the connection was lost, since the last check. */
  private boolean troubled() {
    return failed
        || connection.getStatus() != Connection.Status.CONNECTED
        || connection.getStatistics().getReconnects() != reconnects;
  }

  /**
   * After a failed acknowledgement or a lost connection: waits until every event in flight has its
   * answer, then until the stream answers.
   *
   * @return false if the deadline passed first
   */
  private boolean recover(long deadline) throws InterruptedException {
    if (!window.awaitEmpty(deadline)) {
      return false;
    }
    // Every acknowledgement is in: no handler can set the flag until the next send.
    failed = false;
    while (true) {
      if (!awaitConnected(deadline)) {
        return false;
      }
      reconnects = connection.getStatistics().getReconnects();
      try {
        management.getStreamInfo(stream);
        return true;
      } catch (IOException | JetStreamApiException e) {
        // Not ready yet (a restarted server recovers its streams after it accepts clients).
      }
      if (deadline != FOREVER && System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(retryPauseMs);
    }
  }

  private boolean awaitConnected(long deadline) throws InterruptedException {
    while (true) {
      Connection.Status status = connection.getStatus();
      if (status == Connection.Status.CONNECTED) {
        return true;
      }
      if (status == Connection.Status.CLOSED) {
        throw new NatsException(
            NatsException.Kind.CLOSED,
            "the connection to NATS ("
                + connection.getOptions().getServers()
                + ") is closed; the bridge cannot export any more events");
      }
      if (deadline != FOREVER && System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(RECONNECT_POLL_MS);
    }
  }
}
