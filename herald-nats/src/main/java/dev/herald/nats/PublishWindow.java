package dev.herald.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded window of JetStream publishes awaiting their acknowledgements. Each publish is a plain
 * NATS publish whose reply subject ends in the publish's number; one subscription receives every
 * acknowledgement and finds the publish by that number. So a publish costs no future, no map entry
 * and, unless the acknowledgement reports an error, no JSON parse: the client's own asynchronous
 * publish does all three per message, which cost the ring exporter as much as the rest of its work.
 *
 * <p>One thread publishes ({@link #publish}, {@link #awaitEmpty}, {@link #expire}, {@link
 * #abandon}); it also times out publishes whose acknowledgement does not come (a lost connection, a
 * dead server). The ring exporter and the engine bridge's exporter publish through one each.
 * Acknowledgements reach the {@link Listener} on the subscription's thread. {@link PublishSlots}
 * keeps the places and decides, lock-free, which of an acknowledgement and a timeout completes each
 * publish.
 *
 * <p>A full window makes the publisher wait until it is half empty, not for the next
 * acknowledgement: waking a thread per message costs more than the message on a machine with few
 * cores, and half a window still in flight keeps the server busy meanwhile.
 *
 * <pre>{@code
 * PublishWindow window = new PublishWindow(nc, 1024, Duration.ofSeconds(5), listener);
 * window.publish("herald.ring.test", headers, body, seqno, recordNanos, PublishWindow.NO_DEADLINE);
 * window.awaitEmpty(System.nanoTime() + Duration.ofSeconds(10).toNanos());
 * window.close();
 * }</pre>
 */
final class PublishWindow implements AutoCloseable {
  /** What the window reports, on the subscription's thread or the publisher's (timeouts). */
  interface Listener {
    /**
     * JetStream stored the publish (or a duplicate of it).
     *
     * @param key and {@code note}: the values given to {@link #publish}
     */
    void acknowledged(long key, long note);

    /** JetStream refused a publish, or its acknowledgement did not come in time. */
    void failed(Throwable cause);
  }

  /** A deadline that never passes. */
  static final long NO_DEADLINE = Long.MAX_VALUE;

  /** How long the publisher sleeps before it looks for timed-out publishes again. */
  private static final long EXPIRY_CHECK_NANOS = 10_000_000;

  private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  private final Connection nc;
  private final Listener listener;
  private final long timeoutNanos;
  private final PublishSlots slots;
  private final Dispatcher dispatcher;
  private final String replyPrefix;

  /**
   * A window of at most {@code size} unacknowledged publishes on {@code nc}; it keeps 36 bytes per
   * place in the window, and one subscription (a dispatcher thread of the client) for the answers.
   *
   * @param timeout how long a publish may wait for its acknowledgement
   */
  PublishWindow(Connection nc, int size, Duration timeout, Listener listener) {
    this.nc = nc;
    this.listener = listener;
    this.timeoutNanos = timeout.toNanos();
    this.slots = new PublishSlots(size);
    String inbox = nc.createInbox();
    this.replyPrefix = inbox + ".";
    this.dispatcher = nc.createDispatcher(this::onReply);
    dispatcher.subscribe(replyPrefix + "*");
  }

  /**
   * Publishes to {@code subject} once the window has room, handing {@code key} and {@code note}
   * back with the acknowledgement.
   *
   * @param deadline a {@link System#nanoTime} value after which to give up waiting for room, or
   *     {@link #NO_DEADLINE}
   * @return false if the deadline passed first (nothing was published)
   * @throws InterruptedException if interrupted while waiting for room (nothing was published)
   * @throws RuntimeException what the client throws for a publish it cannot take (e.g. the
   *     connection is closed, or its reconnect buffer is full); nothing was published
   */
  boolean publish(String subject, Headers headers, byte[] body, long key, long note, long deadline)
      throws InterruptedException {
    if (slots.inFlight() >= slots.size() && !awaitInFlight(slots.size() / 2, deadline)) {
      return false;
    }
    long id;
    while ((id = slots.fill(subject, key, note, System.nanoTime())) == PublishSlots.NONE) {
      // Room, but the next place's publish is still out while later ones were answered.
      if (passed(deadline)) {
        return false;
      }
      expire();
      Thread.sleep(1);
    }
    try {
      nc.publish(subject, replyPrefix + id, headers, body);
    } catch (RuntimeException e) {
      if (slots.claim(id)) {
        slots.release();
      }
      throw e;
    }
    return true;
  }

  /**
   * Sleeps until at most {@code target} publishes are in flight, failing overdue ones meanwhile.
   *
   * @return whether that happened before {@code deadline} (a {@link System#nanoTime} value)
   */
  private boolean awaitInFlight(int target, long deadline) throws InterruptedException {
    try {
      while (slots.mustWait(target)) {
        expire();
        if (passed(deadline)) {
          return false;
        }
        long left = deadline == NO_DEADLINE ? EXPIRY_CHECK_NANOS : deadline - System.nanoTime();
        // The slots wake this thread when enough are released; the timed park bounds the wait
        // for expiries in any case.
        LockSupport.parkNanos(this, Math.min(left, EXPIRY_CHECK_NANOS));
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      return true;
    } finally {
      slots.stopWaiting();
    }
  }

  /**
   * Fails the publishes whose acknowledgement is overdue, oldest first; cheap when none is. Called
   * by the publishing thread.
   */
  void expire() {
    long now = System.nanoTime();
    for (long id; (id = slots.claimOverdue(now, timeoutNanos)) != PublishSlots.NONE; ) {
      listener.failed(
          new TimeoutException(
              "JetStream did not acknowledge a publish on "
                  + slots.subject(id)
                  + " within "
                  + Duration.ofNanos(timeoutNanos).toMillis()
                  + " ms"));
      slots.release();
    }
  }

  /**
   * Gives up on every publish still in flight: each is reported as failed now, and its
   * acknowledgement, should it come, is ignored. Called by the publishing thread.
   */
  void abandon() {
    for (long id; (id = slots.claimOldest()) != PublishSlots.NONE; ) {
      listener.failed(
          new TimeoutException(
              "gave up waiting for JetStream to acknowledge a publish on " + slots.subject(id)));
      slots.release();
    }
  }

  /**
   * Waits until every publish is acknowledged, failed or timed out, and the listener has been told.
   *
   * @param deadline a {@link System#nanoTime} value after which to stop waiting, or {@link
   *     #NO_DEADLINE}
   * @return whether the window is empty
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitEmpty(long deadline) throws InterruptedException {
    return awaitInFlight(0, deadline);
  }

  /** Publishes not yet acknowledged; safe from any thread. */
  int inFlight() {
    return slots.inFlight();
  }

  /** One acknowledgement, on the subscription's thread. */
  private void onReply(Message m) {
    long id = idOf(m.getSubject());
    if (!slots.holds(id)) {
      return; // not one of ours, or timed out already (the publisher has reported it)
    }
    String subject = slots.subject(id);
    long key = slots.key(id);
    long note = slots.note(id);
    if (!slots.claim(id)) {
      return; // timed out meanwhile (and the place perhaps reused, hence the fields read first)
    }
    Throwable refusal = refusal(m, subject);
    if (refusal == null) {
      listener.acknowledged(key, note);
    } else {
      listener.failed(refusal);
    }
    slots.release(); // after the listener: an empty window means every outcome was reported
  }

  /** Why JetStream refused a publish, or null when the answer is an acknowledgement. */
  private Throwable refusal(Message m, String subject) {
    if (m.isStatusMessage()) {
      // 503: nothing took the publish, e.g. no stream has the subject, or the stream has no
      // leader for the moment.
      return new IOException(
          "no stream took a publish on " + subject + ": " + m.getStatus().getMessageWithCode());
    }
    byte[] body = m.getData();
    if (body == null || !contains(body, ERROR)) {
      return null; // {"stream":...,"seq":...}: the cheap common case
    }
    try {
      new PublishAck(m); // parses the error and throws it
      return null;
    } catch (JetStreamApiException | IOException e) {
      return e;
    }
  }

  private static boolean contains(byte[] body, byte[] part) {
    outer:
    for (int i = 0; i <= body.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (body[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The publish number at the end of a reply subject, or -1. */
  private long idOf(String subject) {
    int start = replyPrefix.length();
    if (subject.length() <= start || !subject.startsWith(replyPrefix)) {
      return -1;
    }
    long id = 0;
    for (int i = start; i < subject.length(); i++) {
      char c = subject.charAt(i);
      if (c < '0' || c > '9' || id > Long.MAX_VALUE / 10 - 1) {
        return -1;
      }
      id = id * 10 + (c - '0');
    }
    return id;
  }

  private static boolean passed(long deadline) {
    return deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0;
  }

  /** Stops listening for acknowledgements; publishes still out are forgotten. */
  @Override
  public void close() {
    nc.closeDispatcher(dispatcher);
  }
}
