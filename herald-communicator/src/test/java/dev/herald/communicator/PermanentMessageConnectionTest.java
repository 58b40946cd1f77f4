package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.Message;
import dev.herald.os.Errno;
import dev.herald.os.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Permanent connections over real loopback TCP: attempts on the schedule, measured against the
 * clock (late by up to {@link #TOLERANCE_MS} on a loaded machine, never early), cached sends after
 * a server restart, failover across addresses, and the end.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PermanentMessageConnectionTest {
  private static final long TOLERANCE_MS = 250;

  private final Loop loop = new Loop().start();
  private final Dispatcher dispatcher = new Dispatcher();

  /** Lines the hub received, in order, from every client. */
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  /** How the hub's client connections ended: "end" or the failure's kind. */
  private final BlockingQueue<String> hubEnds = new LinkedBlockingQueue<>();

  private final List<StreamConnection> hubClients = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Long> failedAtMs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<CommunicatorException> failures =
      new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> connectedAtMs = new ConcurrentLinkedQueue<>();
  private long start;

  @AfterEach
  void close() {
    loop.close();
  }

  /** A hub on {@code address} that records each line its clients send. */
  private StreamListener hub(SocketAddress address) {
    return loop.call(
        () ->
            StreamListener.listen(
                loop.communicator,
                "hub",
                address,
                (listener, client) ->
                    hubClients.add(
                        StreamConnection.open(
                            loop.communicator,
                            "hub client",
                            Transport.of(client),
                            Framing.lines(),
                            new StreamHandler() {
                              @Override
                              public void received(
                                  StreamConnection s, byte[] data, int offset, int length) {
                                received.add(
                                    new String(data, offset, length, StandardCharsets.UTF_8));
                              }

                              @Override
                              public void closed(
                                  StreamConnection s, CommunicatorException failure) {
                                hubEnds.add(failure == null ? "end" : failure.kind().name());
                              }
                            }))));
  }

  /** Stops the hub: its listener and every client connection. */
  private void stopHub(StreamListener hub) {
    loop.run(
        () -> {
          hub.close();
          hubClients.forEach(StreamConnection::close);
          hubClients.clear();
        });
  }

  /** A loopback address on a port nobody listens on (connecting is refused). */
  private SocketAddress freePort() {
    StreamListener probe = hub(SocketAddress.parse("127.0.0.1:0"));
    SocketAddress address = probe.address();
    loop.run(probe::close);
    return address;
  }

  private PermanentMessageConnection open(List<SocketAddress> addresses, String pauses) {
    return loop.call(
        () -> {
          start = System.nanoTime();
          PermanentMessageConnection permanent =
              PermanentMessageConnection.open(
                  loop.communicator,
                  "permanent",
                  addresses,
                  PauseDurations.parse(pauses),
                  dispatcher);
          permanent.onConnectionFailed(
              (c, failure) -> {
                failedAtMs.add(sinceStartMs());
                failures.add(failure);
              });
          permanent.onConnected(
              c -> {
                connectedAtMs.add(sinceStartMs());
                c.sendMessage(new Message().setCommand("REGISTER").addParameter("service", "t"));
              });
          return permanent;
        });
  }

  private long sinceStartMs() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private String nextLine() throws InterruptedException {
    String line = received.poll(10, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("the hub received no line within 10 s");
    }
    return line;
  }

  private static void assertAt(List<Long> expectedMs, List<Long> actualMs) {
    assertEquals(expectedMs.size(), actualMs.size(), "attempts at " + actualMs);
    for (int i = 0; i < expectedMs.size(); i++) {
      long expected = expectedMs.get(i);
      long actual = actualMs.get(i);
      assertTrue(
          actual >= expected && actual <= expected + TOLERANCE_MS,
          "attempt "
              + i
              + ": expected within ["
              + expected
              + ", "
              + (expected + TOLERANCE_MS)
              + "] ms, was "
              + actual
              + " (all: "
              + actualMs
              + ")");
    }
  }

  private List<String> connectionNames() {
    return loop.call(() -> loop.communicator.connections().stream().map(Connection::name).toList());
  }

  @Test
  void attemptsFollowTheScheduleUntilTheHubListens() throws Exception {
    SocketAddress address = freePort();
    PermanentMessageConnection permanent = open(List.of(address), "0.2,0.4");

    // attempts at 0, 0.2, 0.6 s are refused; the hub listens from then on; 1.0 s connects
    await("3 refused attempts", () -> failedAtMs.size() >= 3);
    hub(address);
    assertEquals("REGISTER service=t", nextLine());

    assertAt(List.of(0L, 200L, 600L), List.copyOf(failedAtMs));
    assertAt(List.of(1_000L), List.copyOf(connectedAtMs));
    assertEquals(Errno.ECONNREFUSED, failures.peek().errno());
    assertTrue(loop.call(permanent::isConnected));
  }

  @Test
  void aNegativeFirstPauseDelaysTheFirstAttempt() {
    open(List.of(freePort()), "-0.3,0.2");

    await("2 refused attempts", () -> failedAtMs.size() >= 2);
    assertAt(List.of(300L, 500L), List.copyOf(failedAtMs).subList(0, 2));
  }

  @Test
  void cachedSendsAreDeliveredInOrderAfterTheHubRestarts() throws Exception {
    StreamListener first = hub(SocketAddress.parse("127.0.0.1:0"));
    SocketAddress address = first.address();
    PermanentMessageConnection permanent = open(List.of(address), "0.1");
    assertEquals("REGISTER service=t", nextLine());
    permanent.sendMessage(new Message().setCommand("UP"), true); // from this thread, connected
    assertEquals("UP", nextLine());

    stopHub(first);
    await("the connection is lost", () -> !loop.call(permanent::isConnected));
    for (int i = 1; i <= 5; i++) {
      assertTrue(
          permanent.sendMessage(new Message().setCommand("CACHED").addParameter("n", i), true));
    }
    assertFalse(loop.call(() -> permanent.sendMessage(new Message().setCommand("DROPPED"), false)));
    assertEquals(5, loop.call(permanent::cachedMessages));

    hub(address); // the same port, while the connection keeps trying every 0.1 s
    assertEquals("REGISTER service=t", nextLine()); // the connected hook goes first
    for (int i = 1; i <= 5; i++) {
      assertEquals("CACHED n=" + i, nextLine());
    }
    permanent.sendMessage(new Message().setCommand("LAST"), true);
    assertEquals("LAST", nextLine()); // nothing else came in between: DROPPED was dropped
    assertEquals(0, loop.call(permanent::cachedMessages));
    assertEquals(2, connectedAtMs.size());
  }

  @Test
  void aSuccessfulConnectionRestartsTheSchedule() throws Exception {
    StreamListener hub = hub(SocketAddress.parse("127.0.0.1:0"));
    // connected at the first attempt, which took the 0.2 s pause; the next pause would be 5 s
    PermanentMessageConnection permanent = open(List.of(hub.address()), "0.2,5");
    assertEquals("REGISTER service=t", nextLine());

    stopHub(hub);
    await("2 refused attempts", () -> failedAtMs.size() >= 2);
    List<Long> failed = List.copyOf(failedAtMs);
    // restarted: the attempts after the loss are 0.2 s apart again, not 5 s
    assertAt(List.of(failed.get(0) + 200), List.of(failed.get(1)));
    assertFalse(loop.call(permanent::isConnected));
  }

  @Test
  void failedAttemptsMoveOnToTheNextAddress() throws Exception {
    SocketAddress dead = freePort();
    StreamListener live = hub(SocketAddress.parse("127.0.0.1:0"));
    PermanentMessageConnection permanent = open(List.of(dead, live.address()), "0.1");

    assertEquals("REGISTER service=t", nextLine());
    assertEquals(1, failures.size());
    assertTrue(
        failures.peek().getMessage().contains(dead.toString()), failures.peek().getMessage());

    // the live one goes down and the dead one comes up: round robin finds it
    stopHub(live);
    await("the connection is lost", () -> !loop.call(permanent::isConnected));
    hub(dead);
    assertEquals("REGISTER service=t", nextLine());
    assertTrue(failures.size() >= 2);
  }

  @Test
  void markDoneWhileDownStopsTheAttemptsAndClearsTheCache() {
    PermanentMessageConnection permanent = open(List.of(freePort()), "0.1");
    await("a refused attempt", () -> !failures.isEmpty());
    permanent.sendMessage(new Message().setCommand("CACHED"), true);
    assertEquals(1, loop.call(permanent::cachedMessages));

    loop.run(permanent::markDone);
    assertEquals(0, loop.call(permanent::cachedMessages));
    assertFalse(loop.call(() -> permanent.sendMessage(new Message().setCommand("LATE"), true)));
    loop.sync();
    assertEquals(List.of("keeper"), connectionNames()); // no timer, no attempt left
  }

  @Test
  void markDoneWhileConnectedWritesWhatIsPendingThenCloses() throws Exception {
    StreamListener hub = hub(SocketAddress.parse("127.0.0.1:0"));
    PermanentMessageConnection permanent = open(List.of(hub.address()), "0.1");
    assertEquals("REGISTER service=t", nextLine());

    loop.run(
        () -> {
          permanent.sendMessage(new Message().setCommand("BYE"));
          permanent.markDone();
        });
    assertEquals("BYE", nextLine());
    assertEquals("end", hubEnds.poll(10, TimeUnit.SECONDS));
    loop.sync();
    assertEquals(List.of("keeper", "hub"), connectionNames());
    assertFalse(loop.call(permanent::isConnected));
    assertNull(received.poll());
  }

  @Test
  void aSingleZeroPauseMakesOneAttemptOnly() {
    Connection timer = open(List.of(freePort()), "0").connection();
    await("a refused attempt", () -> !failures.isEmpty());
    loop.sync();
    // the timer stays, without any timeout: no second attempt can come
    assertEquals(-1L, (long) loop.call(timer::timeoutDelay));
    assertEquals(-1L, (long) loop.call(timer::timeoutDate));
    assertEquals(1, failures.size());
  }
}
