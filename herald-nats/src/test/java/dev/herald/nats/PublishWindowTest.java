package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter's window of unacknowledged publishes against a real server: every acknowledgement
 * finds its publish, JetStream's refusals and silences are reported, and the window holds the
 * publisher back until it is half empty.
 */
@Timeout(60)
class PublishWindowTest {
  @TempDir Path dir;
  private NatsServer server;
  private Connection nc;
  private final Recorder recorder = new Recorder();

  @BeforeEach
  void start() throws IOException {
    server = NatsServer.start(dir);
    nc = NatsConnector.connect(List.of(server.url()), "window");
  }

  @AfterEach
  void stop() throws InterruptedException {
    nc.close();
    server.close();
  }

  @Test
  void everyAcknowledgementReachesItsPublishOnce() throws Exception {
    RingStream stream = RingStream.ensure(nc, StreamSpec.of("acks"));
    int count = 5_000;
    try (PublishWindow window = new PublishWindow(nc, 64, Duration.ofSeconds(10), recorder)) {
      for (int n = 1; n <= count; n++) {
        assertTrue(publish(window, stream.subject(), n, -n));
        assertTrue(window.inFlight() <= 64, "at most the window in flight");
      }
      assertTrue(window.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
    }
    assertEquals(List.of(), recorder.failures());
    List<long[]> acks = new ArrayList<>(recorder.acks);
    assertEquals(count, acks.size());
    boolean[] seen = new boolean[count + 1];
    for (long[] ack : acks) {
      int n = (int) ack[0];
      assertEquals(-n, ack[1], "the note given with the publish");
      assertFalse(seen[n], "acknowledged once: " + n);
      seen[n] = true;
    }
    assertEquals(
        count, nc.jetStreamManagement().getStreamInfo("acks").getStreamState().getMsgCount());
  }

  @Test
  void aRefusalIsReportedWithJetStreamsError() throws Exception {
    RingStream stream = RingStream.ensure(nc, StreamSpec.of("refuse"));
    try (PublishWindow window = new PublishWindow(nc, 8, Duration.ofSeconds(10), recorder)) {
      Headers wrong = new Headers().put(NatsJetStreamConstants.EXPECTED_LAST_SEQ_HDR, "41");
      window.publish(stream.subject(), wrong, body(1), 1, 0, PublishWindow.NO_DEADLINE);
      assertTrue(window.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
    }
    assertEquals(0, recorder.acks.size());
    JetStreamApiException refusal =
        assertInstanceOf(JetStreamApiException.class, recorder.failures().getFirst());
    assertEquals(10071, refusal.getApiErrorCode(), "wrong last sequence");
  }

  @Test
  void aPublishNoStreamTakesFailsAtOnce() throws Exception {
    try (PublishWindow window = new PublishWindow(nc, 8, Duration.ofSeconds(30), recorder)) {
      publish(window, "no.stream.here", 1, 0);
      assertTrue(
          window.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)),
          "long before the timeout");
    }
    IOException failure = assertInstanceOf(IOException.class, recorder.failures().getFirst());
    assertTrue(failure.getMessage().contains("no.stream.here"), failure.getMessage());
  }

  @Test
  void anAcknowledgementThatNeverComesTimesOut() throws Exception {
    Subscription silent = nc.subscribe("silent"); // takes the publishes, never answers
    nc.flush(Duration.ofSeconds(5));
    try (PublishWindow window = new PublishWindow(nc, 8, Duration.ofMillis(300), recorder)) {
      publish(window, "silent", 1, 0);
      publish(window, "silent", 2, 0);
      assertTrue(window.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
      assertEquals(0, window.inFlight());
    }
    assertEquals(2, recorder.failures().size());
    assertInstanceOf(TimeoutException.class, recorder.failures().getFirst());
    assertTrue(silent.nextMessage(Duration.ofSeconds(5)) != null, "it was published");
  }

  @Test
  void aFullWindowWaitsUntilItIsHalfEmpty() throws Exception {
    Subscription manual = nc.subscribe("manual"); // the test answers for JetStream
    nc.flush(Duration.ofSeconds(5));
    try (PublishWindow window = new PublishWindow(nc, 4, Duration.ofSeconds(30), recorder)) {
      for (int n = 1; n <= 4; n++) {
        publish(window, "manual", n, 0);
      }
      CountDownLatch fifthOut = new CountDownLatch(1);
      Thread publisher =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      publish(window, "manual", 5, 0);
                    } catch (InterruptedException e) {
                      return;
                    }
                    fifthOut.countDown();
                  });
      answer(manual.nextMessage(Duration.ofSeconds(5)));
      assertFalse(fifthOut.await(200, TimeUnit.MILLISECONDS), "3 in flight: still waiting");
      answer(manual.nextMessage(Duration.ofSeconds(5)));
      assertTrue(fifthOut.await(10, TimeUnit.SECONDS), "2 in flight, half the window: goes on");
      publisher.join();
      for (int n = 3; n <= 5; n++) {
        answer(manual.nextMessage(Duration.ofSeconds(5)));
      }
      assertTrue(window.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
    }
    assertEquals(5, recorder.acks.size());
    assertEquals(List.of(), recorder.failures());
  }

  @Test
  void aFullWindowGivesUpAtTheDeadlineAndAbandonReportsWhatIsLeft() throws Exception {
    Subscription silent = nc.subscribe("silent");
    nc.flush(Duration.ofSeconds(5));
    try (PublishWindow window = new PublishWindow(nc, 2, Duration.ofSeconds(30), recorder)) {
      publish(window, "silent", 1, 0);
      publish(window, "silent", 2, 0);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      assertFalse(window.publish("silent", new Headers(), body(3), 3, 0, deadline));
      assertEquals(2, window.inFlight());
      assertEquals(List.of(), recorder.failures());
      window.abandon();
      assertEquals(0, window.inFlight());
      assertEquals(2, recorder.failures().size());
      assertTrue(publish(window, "silent", 4, 0), "room again");
    }
    assertTrue(silent.nextMessage(Duration.ofSeconds(5)) != null);
  }

  private static boolean publish(PublishWindow window, String subject, long key, long note)
      throws InterruptedException {
    return window.publish(
        subject,
        new Headers().put("N", "" + key),
        body((int) key),
        key,
        note,
        PublishWindow.NO_DEADLINE);
  }

  private void answer(Message m) {
    nc.publish(
        m.getReplyTo(), "{\"stream\":\"manual\",\"seq\":1}".getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] body(int n) {
    return ("event " + n).getBytes(StandardCharsets.UTF_8);
  }

  /** What the window reported, from whichever thread reported it. */
  private static final class Recorder implements PublishWindow.Listener {
    final ConcurrentLinkedQueue<long[]> acks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();

    @Override
    public void acknowledged(long key, long note) {
      acks.add(new long[] {key, note});
    }

    @Override
    public void failed(Throwable cause) {
      failed.add(cause);
    }

    List<Throwable> failures() {
      return List.copyOf(failed);
    }
  }
}
