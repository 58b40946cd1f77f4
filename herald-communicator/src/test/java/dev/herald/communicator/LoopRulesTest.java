package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.EventFd;
import dev.herald.os.Pipe;
import dev.herald.os.SocketPair;
import dev.herald.os.internal.RegularFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The run-loop rules of upstream's communicator (spec §3.2), on real eventfds, pipes, sockets. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopRulesTest {
  private final Communicator communicator = new Communicator();
  private final List<String> log = new ArrayList<>();

  @AfterEach
  void close() {
    communicator.close();
  }

  private Probe probe(String name) {
    return new Probe(name, log, communicator);
  }

  private List<String> readableOrder() {
    return log.stream().filter(line -> line.contains(":readable")).toList();
  }

  @Test
  void callsHandlersInAscendingPriorityKeepingTheOrderOfEqualOnes() {
    String[] names = {"A", "B", "C", "D", "E", "F"};
    int[] priorities = {100, 10, 100, 10, 255, 0};
    for (int i = 0; i < names.length; i++) {
      Probe probe = probe(names[i]);
      probe.onReadable = Connection::remove;
      communicator.add(probe.readableConnection(priorities[i]));
    }

    assertTrue(communicator.run());

    assertEquals(
        List.of(
            "F:readable@1",
            "B:readable@1",
            "D:readable@1",
            "A:readable@1",
            "C:readable@1",
            "E:readable@1"),
        readableOrder());
  }

  @Test
  void aPriorityChangeReordersFromTheNextRound() {
    Probe a = probe("A");
    Probe b = probe("B");
    Connection connectionA = a.readableConnection(10);
    Connection connectionB = b.readableConnection(20);
    a.onReadable =
        c -> {
          if (communicator.rounds() == 1) {
            connectionB.setPriority(5);
          } else {
            c.remove();
          }
        };
    b.onReadable =
        c -> {
          if (communicator.rounds() == 2) {
            c.remove();
          }
        };
    communicator.add(connectionA);
    communicator.add(connectionB);

    assertTrue(communicator.run());

    assertEquals(
        List.of("A:readable@1", "B:readable@1", "B:readable@2", "A:readable@2"), readableOrder());
  }

  @Test
  void aConnectionAddedInARoundJoinsTheNextOneInItsPriorityPlace() {
    Probe a = probe("A");
    Probe c = probe("C");
    Connection connectionC = c.readableConnection(10);
    a.onReadable =
        self -> {
          if (communicator.rounds() == 1) {
            assertTrue(communicator.add(connectionC)); // readable already, yet not called now
          } else {
            self.remove();
          }
        };
    c.onReadable = Connection::remove;
    communicator.add(a.readableConnection(100));

    assertTrue(communicator.run());

    // Upstream appends and does not sort on add, so C would come after A in round 2.
    assertEquals(List.of("A:readable@1", "C:readable@2", "A:readable@2"), readableOrder());
  }

  @Test
  void enabledIsSnapshottedPerRound() {
    Probe a = probe("A");
    Probe b = probe("B");
    Connection connectionB = b.readableConnection(20);
    a.onReadable =
        c -> {
          if (communicator.rounds() == 1) {
            connectionB.setEnabled(false); // B still gets this round's event
          } else {
            c.remove();
          }
        };
    communicator.add(a.readableConnection(10));
    communicator.add(connectionB);

    // Only the disabled B is left: nothing can happen any more.
    assertFalse(communicator.run());

    assertEquals(List.of("A:readable@1", "B:readable@1", "A:readable@2"), readableOrder());
    assertEquals(List.of(connectionB), communicator.connections());
  }

  @Test
  void aConnectionRemovedDuringARoundGetsNoFurtherCallInIt() {
    Probe a = probe("A");
    Probe b = probe("B");
    Connection connectionB = b.readableConnection(20);
    connectionB.setTimeoutDate(0); // due too
    a.onReadable =
        c -> {
          assertTrue(communicator.remove(connectionB));
          assertFalse(communicator.remove(connectionB));
          c.remove();
        };
    communicator.add(a.readableConnection(10));
    communicator.add(connectionB);

    assertTrue(communicator.run());

    assertEquals(List.of("A:readable@1", "B:removed@1", "A:removed@1"), log);
    assertTrue(connectionB.communicator().isEmpty());
  }

  @Test
  void aConnectionRemovedAndAddedAgainInARoundWaitsForTheNextOne() {
    Probe a = probe("A");
    Probe b = probe("B");
    Connection connectionB = b.readableConnection(20);
    Runnable closeB = b.onRemoved;
    b.onRemoved =
        () -> {
          if (communicator.rounds() == 2) {
            closeB.run(); // the second removal; the first keeps the eventfd for the second life
          }
        };
    a.onReadable =
        c -> {
          if (communicator.rounds() == 1) {
            connectionB.remove();
            communicator.add(connectionB);
          } else {
            c.remove();
          }
        };
    b.onReadable = Connection::remove;
    communicator.add(a.readableConnection(10));
    communicator.add(connectionB);

    assertTrue(communicator.run());

    assertEquals(List.of("A:readable@1", "A:readable@2", "B:readable@2"), readableOrder());
  }

  @Test
  void runReturnsTrueAtOnceWithoutConnections() {
    assertTrue(communicator.run());
    assertEquals(0, communicator.rounds());
  }

  @Test
  void runReturnsFalseWhenNothingCanHappen() {
    Connection inert = Connection.timer("inert", -1, ConnectionHandler.onTimeout(c -> {}));
    communicator.add(inert);
    assertFalse(communicator.run());

    // An fd connection watching nothing is as inert.
    inert.remove();
    Probe quiet = probe("quiet");
    Connection connection = quiet.readableConnection(100);
    connection.setReading(false);
    communicator.add(connection);
    assertFalse(communicator.run());
    assertEquals(List.of(), readableOrder());
  }

  @Test
  void aDisabledFdIsNotWatchedSoItsHangUpDoesNotSpinTheLoop() {
    SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
    pair.first().close(); // the second end now reports IN | HANG_UP | READ_HANG_UP forever
    Probe hungUp = probe("hungUp");
    hungUp.onRemoved = pair::close;
    Connection connection = Connection.of("hungUp", pair.second(), hungUp);
    connection.setEnabled(false);
    communicator.add(connection);
    communicator.add(
        Connection.timer(
            "end",
            100_000,
            ConnectionHandler.onTimeout(
                c -> {
                  c.remove();
                  connection.remove();
                })));

    assertTrue(communicator.run());

    assertEquals(List.of("hungUp:removed@1"), log); // one round: the timer's
    assertEquals(1, communicator.rounds());
  }

  @Test
  void runInsideACallbackIsRefused() {
    AtomicReference<CommunicatorException> refused = new AtomicReference<>();
    communicator.add(
        Connection.timer(
            "recursive",
            0,
            ConnectionHandler.onTimeout(
                c -> {
                  refused.set(assertThrows(CommunicatorException.class, communicator::run));
                  c.remove();
                })));

    assertTrue(communicator.run());

    assertEquals(CommunicatorException.Kind.RECURSIVE_CALL, refused.get().kind());
    // The refused call left the loop state alone: it runs again.
    communicator.add(Connection.timer("again", 0, ConnectionHandler.onTimeout(Connection::remove)));
    assertTrue(communicator.run());
  }

  @Test
  void otherThreadsAreRefusedAndPostInstead() throws Exception {
    EventFd never = EventFd.create(EventFd.NONBLOCK);
    Connection waiting = Connection.of("waiting", never, new ConnectionHandler() {});
    communicator.add(waiting);
    CountDownLatch started = new CountDownLatch(1);
    communicator.add(
        Connection.timer(
            "started",
            0,
            ConnectionHandler.onTimeout(
                c -> {
                  started.countDown();
                  c.remove();
                })));
    AtomicReference<Boolean> result = new AtomicReference<>();
    Thread loop = Thread.ofPlatform().name("loop").start(() -> result.set(communicator.run()));
    assertTrue(started.await(10, TimeUnit.SECONDS));

    IllegalStateException busy = assertThrows(IllegalStateException.class, communicator::run);
    assertTrue(busy.getMessage().contains("\"loop\""), busy.getMessage());
    assertThrows(
        IllegalStateException.class, () -> communicator.add(Connection.timer("x", probe("x"))));
    assertThrows(IllegalStateException.class, () -> waiting.setEnabled(false));
    assertThrows(IllegalStateException.class, communicator::close);

    communicator.post(waiting::remove);
    loop.join(10_000);
    assertFalse(loop.isAlive());
    assertTrue(result.get());
    never.close();
  }

  @Test
  void hangUpRemovesTheConnectionAfterItReadsTheLastBytes() {
    SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
    Probe peer = probe("peer");
    peer.onRemoved = pair::close;
    pair.first().write(java.lang.foreign.MemorySegment.ofArray(new byte[] {'x'}));
    pair.first().close();
    communicator.add(Connection.of("peer", pair.second(), peer));

    assertTrue(communicator.run());

    assertEquals(List.of("peer:readable@1", "peer:hangUp@1", "peer:removed@1"), log);
  }

  @Test
  void errorComesAfterWritableAndRemovesTheConnection() {
    Pipe pipe = Pipe.create(Pipe.NONBLOCK);
    Probe sink = probe("sink");
    sink.onRemoved = pipe::close;
    Connection connection = Connection.of("sink", pipe.sink(), sink);
    connection.setReading(false);
    connection.setWriting(true);
    pipe.source().close(); // the write end now reports OUT | ERROR
    communicator.add(connection);

    assertTrue(communicator.run());

    assertEquals(List.of("sink:writable@1", "sink:error@1", "sink:removed@1"), log);
  }

  @Test
  void anFdEpollRefusesIsReportedAsInvalid(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("plain");
    Files.writeString(path, "a regular file cannot be watched by epoll");
    RegularFile file = RegularFile.openReadOnly(path);
    Probe plain = probe("plain");
    plain.onRemoved = file::close;
    communicator.add(Connection.of("plain", file, plain));

    assertTrue(communicator.run());

    assertEquals(List.of("plain:invalid@1", "plain:removed@1"), log);
  }

  @Test
  void anFdClosedBehindTheConnectionsBackIsReportedAsInvalid() {
    Probe closed = probe("closed");
    Connection connection = closed.readableConnection(100);
    communicator.add(connection);
    closed.onRemoved.run(); // closes the eventfd while the connection still uses it

    assertTrue(communicator.run());

    assertEquals(List.of("closed:invalid@1", "closed:removed@1"), log);
  }

  @Test
  void aDoneConnectionLeavesOnceItsOutputIsFlushed() {
    SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
    Probe writer = probe("writer");
    writer.onRemoved = pair::close;
    Connection connection = Connection.of("writer", pair.second(), writer);
    connection.setReading(false);
    connection.setWriting(true); // a socket is writable at once: one call per round
    writer.onWritable =
        c -> {
          if (communicator.rounds() == 1) {
            c.markDone();
          } else if (communicator.rounds() == 3) {
            c.setWriting(false); // "flushed"
          }
        };
    communicator.add(connection);

    assertTrue(communicator.run());

    assertEquals(
        List.of("writer:writable@1", "writer:writable@2", "writer:writable@3", "writer:removed@3"),
        log);
  }

  @Test
  void addAndRemoveRules() {
    Probe probe = probe("p");
    Connection connection = probe.readableConnection(100);
    assertFalse(communicator.remove(connection));
    assertTrue(communicator.add(connection));
    assertFalse(communicator.add(connection)); // once only
    assertSame(communicator, connection.communicator().orElseThrow());

    try (Communicator other = new Communicator()) {
      CommunicatorException taken =
          assertThrows(CommunicatorException.class, () -> other.add(connection));
      assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, taken.kind());
    }

    EventFd closedFd = EventFd.create(EventFd.NONBLOCK);
    closedFd.close();
    CommunicatorException noSocket =
        assertThrows(
            CommunicatorException.class,
            () -> communicator.add(Connection.of("closed", closedFd, probe)));
    assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, noSocket.kind());
    assertEquals(
        "communicator::add_connection(): connection without a socket cannot be added to a"
            + " communicator object.",
        noSocket.getMessage());
  }

  @Test
  void whatACallbackThrowsLeavesRunAndTheNextRunGoesOn() {
    Probe probe = probe("thrower");
    probe.onReadable =
        c -> {
          if (communicator.rounds() == 1) {
            throw new IllegalArgumentException("boom");
          }
          c.remove();
        };
    communicator.add(probe.readableConnection(100));

    assertEquals(
        "boom", assertThrows(IllegalArgumentException.class, communicator::run).getMessage());
    assertTrue(communicator.run());
    assertEquals(List.of("thrower:readable@1", "thrower:readable@2"), readableOrder());
  }

  @Test
  void closeRemovesEveryConnectionAndRefusesLaterUse() {
    Probe probe = probe("p");
    communicator.add(probe.readableConnection(100));
    communicator.close();
    communicator.close(); // again: nothing

    assertTrue(probe.removed);
    assertEquals(
        CommunicatorException.Kind.CLOSED,
        assertThrows(CommunicatorException.class, () -> communicator.post(() -> {})).kind());
    assertEquals(
        CommunicatorException.Kind.CLOSED,
        assertThrows(
                CommunicatorException.class, () -> communicator.add(Connection.timer("t", probe)))
            .kind());
    assertEquals(
        CommunicatorException.Kind.CLOSED,
        assertThrows(CommunicatorException.class, communicator::run).kind());
  }

  @Test
  void severalCommunicatorsRunAtOnce() throws Exception {
    int loops = 4;
    List<Thread> threads = new ArrayList<>();
    List<Communicator> all = new ArrayList<>();
    int[] ticks = new int[loops];
    for (int i = 0; i < loops; i++) {
      Communicator each = new Communicator();
      all.add(each);
      int index = i;
      each.add(
          Connection.timer(
              "tick",
              20_000,
              ConnectionHandler.onTimeout(
                  c -> {
                    if (++ticks[index] == 3) {
                      c.remove();
                    }
                  })));
      threads.add(Thread.ofPlatform().start(each::run));
    }
    for (Thread thread : threads) {
      thread.join(10_000);
      assertFalse(thread.isAlive());
    }
    all.forEach(Communicator::close);
    assertEquals(List.of(3, 3, 3, 3), java.util.Arrays.stream(ticks).boxed().toList());
  }
}
