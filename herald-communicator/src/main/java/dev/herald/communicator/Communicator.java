package dev.herald.communicator;

import dev.herald.os.OsException;
import dev.herald.os.TimerFd;
import dev.herald.reactor.EventManager;
import dev.herald.reactor.EventSet;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.Events;
import dev.herald.reactor.ReactorException;
import dev.herald.reactor.RemoteEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event loop over prioritised {@link Connection}s: upstream's {@code communicator}, as an
 * ordinary object (no singleton: several run in one JVM, each on its own thread).
 *
 * <p>Each round of {@link #run()}: connections marked done and not writing are removed; with none
 * left, {@code run()} returns true; the connections are sorted by priority if a priority changed
 * (stably: equal priorities keep their order); a snapshot is taken of the connections, of whether
 * each is enabled and of when each one's timeout is due; the loop waits (one {@code epoll_wait} on
 * the communicator's {@link EventManager}, with one {@code timerfd} armed to the earliest timeout);
 * then it walks the snapshot in priority order and calls, for each connection enabled at snapshot
 * time, its handler's {@code readable}, {@code writable}, {@code error}, {@code hangUp} and {@code
 * invalid} for what its fd reported, then {@code timeout} if its saved due time has passed.
 * Connections added during a round join the next one; a connection removed during a round gets no
 * further call in it.
 *
 * <p>Threads: one thread runs the loop; add, remove and connection setters are for that thread (or
 * for any one thread while the loop is not running). Other threads reach the loop with {@link
 * #post}. Exceptions thrown by callbacks and posted actions leave {@code run()}; calling it again
 * continues with a new round.
 *
 * <pre>{@code
 * try (Communicator communicator = new Communicator()) {
 *   communicator.add(Connection.timer("tick", 500_000, ConnectionHandler.onTimeout(c -> {
 *     if (++ticks == 10) {
 *       c.remove();                       // run() returns once no connection is left
 *     }
 *   })));
 *   communicator.run();
 * }
 * }</pre>
 */
public final class Communicator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Communicator.class);

  private static final Comparator<Connection> BY_PRIORITY =
      Comparator.comparingInt(Connection::priority);

  private static final int READ_BITS = EventSet.of(EventSet.IN, EventSet.PRIORITY).bits();
  private static final int WRITE_BITS = EventSet.OUT.bits();
  private static final int ERROR_BITS = EventSet.ERROR.bits();
  private static final int HANG_UP_BITS =
      EventSet.of(EventSet.HANG_UP, EventSet.READ_HANG_UP).bits();

  private final EventManager<EventSubscriber> manager;
  private final RemoteEndpoint<EventSubscriber> remote;

  /** The one timer of all the connections' timeouts, armed to the earliest due one. */
  private final TimerFd timer;

  private final ReadyBits timerReady = new ReadyBits();
  private long timerArmedFor = TimeoutSchedule.NEVER;

  /** The connections, in priority order unless {@link #sortNeeded}. */
  private final ArrayList<Connection> connections = new ArrayList<>();

  private boolean sortNeeded = true;

  /** This round's snapshot of {@link #connections}, {@link #roundSize} entries. */
  private Connection[] round = new Connection[16];

  private int roundSize;
  private long roundNumber;

  /** The thread inside {@link #run()}, or null. */
  private final AtomicReference<Thread> loopThread = new AtomicReference<>();

  private boolean closed;

  /** Buffers the connections share on the loop thread; made at the first use. */
  private LoopBuffers buffers;

  /**
   * Creates a communicator with its epoll instance and its timer.
   *
   * @throws OsException if the kernel refuses the timerfd
   * @throws ReactorException if it refuses the epoll instance
   */
  public Communicator() {
    manager = new EventManager<>();
    try {
      timer = TimerFd.create(TimerFd.Clock.MONOTONIC, TimerFd.NONBLOCK);
    } catch (RuntimeException | Error e) {
      manager.close();
      throw e;
    }
    try {
      manager.eventOps(manager.addSubscriber(timerReady)).add(Events.of(timer.fd(), EventSet.IN));
    } catch (RuntimeException | Error e) {
      timer.close();
      manager.close();
      throw e;
    }
    remote = manager.remoteEndpoint();
  }

  /**
   * Adds a connection (upstream's {@code add_connection}); it takes part from the next round on. It
   * is placed after the connections of lower or equal priority (upstream appends it and sorts only
   * when a priority changes). Its handler's {@link ConnectionHandler#added} runs before this
   * returns.
   *
   * @param connection the connection
   * @return true if added, false if it was already in this communicator
   * @throws CommunicatorException {@code INVALID_PARAMETER} if its fd is closed (upstream's text)
   *     or it belongs to another communicator; {@code CLOSED} if this communicator is closed
   * @throws IllegalStateException from another thread while the loop runs
   */
  public boolean add(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    checkThread();
    if (closed) {
      throw closedError("add connection \"" + connection.name() + "\"");
    }
    if (connection.owner == this) {
      return false;
    }
    if (connection.owner != null) {
      throw new CommunicatorException(
          CommunicatorException.Kind.INVALID_PARAMETER,
          "connection \""
              + connection.name()
              + "\" belongs to another communicator; remove it from that one first.");
    }
    if (connection.registration != null && connection.fdNumber() < 0) {
      throw new CommunicatorException(
          CommunicatorException.Kind.INVALID_PARAMETER,
          "communicator::add_connection(): connection without a socket cannot be added to a"
              + " communicator object.");
    }
    connection.owner = this;
    connection.addedInRound = roundNumber;
    connections.add(insertionPoint(connection.priority()), connection);
    connection.handler().added(connection);
    return true;
  }

  /** After the last connection of priority ≤ {@code priority}, or last if the list is unsorted. */
  private int insertionPoint(int priority) {
    if (sortNeeded) {
      return connections.size();
    }
    int low = 0;
    int high = connections.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (connections.get(middle).priority() <= priority) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /**
   * Removes a connection (upstream's {@code remove_connection}): its fd leaves epoll, it gets no
   * further callback in the current round, then its handler's {@link ConnectionHandler#removed}
   * runs.
   *
   * @param connection the connection
   * @return true if removed, false if it was not in this communicator
   * @throws IllegalStateException from another thread while the loop runs
   */
  public boolean remove(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    checkThread();
    if (connection.owner != this) {
      return false;
    }
    LOG.trace(
        "removing 1 connection, \"{}\", of {} connections (including this one.)",
        connection.name(),
        connections.size());
    connections.remove(connection);
    connection.owner = null;
    if (connection.registration != null) {
      connection.registration.drop(manager);
    }
    connection.handler().removed(connection);
    return true;
  }

  /**
   * The connections, in the order of the next round (upstream's {@code get_connections}).
   *
   * @return a copy of the list
   * @throws IllegalStateException from another thread while the loop runs
   */
  public List<Connection> connections() {
    checkThread();
    return List.copyOf(connections);
  }

  /**
   * Runs rounds until no connection is left (see the class comment).
   *
   * @return true when no connection is left; false when nothing can happen any more: every
   *     connection is disabled, or has neither an fd to watch nor a timeout (upstream logs this as
   *     FATAL; here it is a warning and the caller decides)
   * @throws CommunicatorException {@code RECURSIVE_CALL} from a callback of this communicator;
   *     {@code CLOSED} once closed
   * @throws IllegalStateException while another thread runs it
   * @throws RuntimeException what a callback or a posted action threw
   */
  public boolean run() {
    return runUntil(() -> false);
  }

  /**
   * Runs rounds as {@link #run()} does, and also returns (true) as soon as {@code until} holds
   * before a round: how a {@link BlockingMessageConnection} waits on its own communicator for a
   * reply.
   */
  boolean runUntil(BooleanSupplier until) {
    Thread current = Thread.currentThread();
    Thread inside = loopThread.compareAndExchange(null, current);
    if (inside == current) {
      throw new CommunicatorException(
          CommunicatorException.Kind.RECURSIVE_CALL,
          "communicator::run(): called from a callback of the same communicator; return from the"
              + " callback instead (run() returns by itself once no connection is left).");
    }
    if (inside != null) {
      throw busy(inside);
    }
    try {
      if (closed) {
        throw closedError("run");
      }
      sortNeeded = true;
      while (!until.getAsBoolean()) {
        removeDoneConnections();
        if (connections.isEmpty()) {
          return true;
        }
        if (sortNeeded) {
          connections.sort(BY_PRIORITY);
          sortNeeded = false;
        }
        if (!waitForEvents()) {
          return false;
        }
        walkRound();
      }
      return true;
    } finally {
      forgetRound();
      loopThread.set(null);
    }
  }

  /** Removes the connections marked done whose output is flushed. */
  private void removeDoneConnections() {
    for (int i = connections.size() - 1; i >= 0; i--) {
      if (i < connections.size()) {
        Connection connection = connections.get(i);
        if (connection.isDone() && !connection.isWriting()) {
          LOG.debug(
              "connection \"{}\" was marked as done and has no output pending: removing it.",
              connection.name());
          remove(connection);
        }
      }
    }
  }

  /**
   * Takes the round's snapshot, brings epoll in line with it, arms the timer and waits.
   *
   * @return false when there is nothing to wait for
   */
  private boolean waitForEvents() {
    roundNumber++;
    roundSize = connections.size();
    if (round.length < roundSize) {
      round = new Connection[Math.max(roundSize, round.length * 2)];
    }
    connections.toArray(round);
    long now = System.nanoTime();
    long wallNow = 0;
    long earliest = TimeoutSchedule.NEVER;
    boolean watching = false;
    for (int i = 0; i < roundSize; i++) {
      Connection connection = round[i];
      connection.enabledInRound = connection.isEnabled();
      connection.refusedInRound = null;
      connection.dueInRound = TimeoutSchedule.NEVER;
      Registration registration = connection.registration;
      if (registration != null) {
        RuntimeException refused = registration.sync(manager, connection.interest());
        if (refused != null) {
          connection.refusedInRound = refused;
          earliest = now; // report it without waiting
        }
        watching |= registration.isWatched();
      }
      if (!connection.enabledInRound) {
        continue;
      }
      long date = connection.schedule.dateMicros();
      if (date != -1 && wallNow == 0) {
        wallNow = TimeoutSchedule.wallMicros();
      }
      connection.dateInRound = date;
      connection.dueInRound = connection.schedule.due(now, wallNow);
      earliest = Math.min(earliest, connection.dueInRound);
    }
    if (earliest == TimeoutSchedule.NEVER && !watching) {
      LOG.warn(
          "communicator::run(): nothing to wait for: none of the {} connections is enabled with an"
              + " fd to watch or a timeout; run() returns false.",
          roundSize);
      return false;
    }
    manager.runWithTimeout(armTimer(earliest));
    if (timerReady.take() != 0) {
      timer.expirations();
      timerArmedFor = TimeoutSchedule.NEVER;
    }
    return true;
  }

  /**
   * Arms the timer to {@code earliest} if it is not armed for it yet.
   *
   * @return the epoll timeout: 0 when a timeout is due already, else -1 (the timer wakes the loop)
   */
  private int armTimer(long earliest) {
    if (earliest == TimeoutSchedule.NEVER) {
      if (timerArmedFor != TimeoutSchedule.NEVER) {
        timer.disarm();
        timerArmedFor = TimeoutSchedule.NEVER;
      }
      return -1;
    }
    long ahead = earliest - System.nanoTime();
    if (ahead <= 0) {
      return 0;
    }
    if (earliest != timerArmedFor) {
      timer.arm(Duration.ofNanos(ahead), Duration.ZERO);
      timerArmedFor = earliest;
    }
    return -1;
  }

  /** Calls the handlers of the round's snapshot, in priority order. */
  private void walkRound() {
    for (int i = 0; i < roundSize; i++) {
      Connection connection = round[i];
      if (connection.enabledInRound && inRound(connection)) {
        process(connection);
      }
    }
    forgetRound();
  }

  /** Whether a connection of the snapshot is still to be called this round. */
  private boolean inRound(Connection connection) {
    return connection.owner == this && connection.addedInRound != roundNumber;
  }

  private void process(Connection connection) {
    ConnectionHandler handler = connection.handler();
    Registration registration = connection.registration;
    if (registration != null) {
      int bits = registration.ready.take();
      if ((bits & READ_BITS) != 0) {
        handler.readable(connection);
      }
      if ((bits & WRITE_BITS) != 0 && inRound(connection)) {
        handler.writable(connection);
      }
      if ((bits & ERROR_BITS) != 0 && inRound(connection)) {
        handler.error(connection);
      }
      if ((bits & HANG_UP_BITS) != 0 && inRound(connection)) {
        handler.hangUp(connection);
      }
      RuntimeException refused = connection.refusedInRound;
      if (refused != null && inRound(connection)) {
        LOG.warn(
            "connection \"{}\": its fd cannot be watched ({}); calling its invalid handler.",
            connection.name(),
            refused.getMessage());
        handler.invalid(connection);
      }
    }
    if (connection.dueInRound != TimeoutSchedule.NEVER && inRound(connection)) {
      long now = System.nanoTime();
      if (now >= connection.dueInRound) {
        TimeoutSchedule schedule = connection.schedule;
        schedule.advance(now);
        long date = schedule.dateMicros();
        // The date that fired is reset before the callback, which may set a new one.
        if (date != -1
            && (date == connection.dateInRound || TimeoutSchedule.wallMicros() >= date)) {
          schedule.setDate(-1);
        }
        handler.timeout(connection);
      }
    }
  }

  /** Drops the snapshot: no stale ready bits, no reference kept to removed connections. */
  private void forgetRound() {
    for (int i = 0; i < roundSize; i++) {
      Registration registration = round[i].registration;
      if (registration != null) {
        registration.ready.take();
      }
    }
    Arrays.fill(round, 0, roundSize, null);
    roundSize = 0;
  }

  /**
   * Runs {@code action} on the loop thread: when the loop wakes from its wait (at once if it is
   * waiting), before the handlers of that round are called. The way other threads add, remove or
   * change connections, or send. Safe from any thread, the loop thread included (the action then
   * runs in the next round). Actions run in the order posted; what one throws leaves {@link
   * #run()}. Actions posted while no {@code run()} is waiting run at its next wait.
   *
   * <pre>{@code
   * communicator.post(() -> connection.markDone());   // from a worker thread
   * }</pre>
   *
   * @param action what to run
   * @throws CommunicatorException {@code CLOSED} once the communicator is closed
   */
  public void post(Runnable action) {
    Objects.requireNonNull(action, "action");
    try {
      remote.fire(ops -> action.run());
    } catch (ReactorException e) {
      throw closedError("post an action");
    }
  }

  /**
   * Closes the communicator: removes every connection (their {@code removed} handlers run, which
   * close what they own), runs the actions still posted, closes the epoll instance and the timer.
   * Later calls do nothing.
   *
   * @throws IllegalStateException while the loop runs (end it first: remove its connections)
   */
  @Override
  public void close() {
    Thread inside = loopThread.get();
    if (inside != null) {
      throw new IllegalStateException(
          "close() while thread \""
              + inside.getName()
              + "\" runs the communicator; let run() return first (remove its connections, from"
              + " a callback or through post()).");
    }
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (Connection connection : List.copyOf(connections)) {
        remove(connection);
      }
    } finally {
      try {
        manager.close();
      } finally {
        timer.close();
      }
    }
  }

  /** Records that a priority changed: the next round sorts first. */
  void sortBeforeNextRound() {
    sortNeeded = true;
  }

  /** The buffers shared by the connections, for the loop thread. */
  LoopBuffers buffers() {
    LoopBuffers shared = buffers;
    if (shared == null) {
      shared = new LoopBuffers();
      buffers = shared;
    }
    return shared;
  }

  /** Whether the calling thread is inside {@link #run()}. */
  boolean isLoopThread() {
    return loopThread.get() == Thread.currentThread();
  }

  /** Whether the calling thread may touch the connections now: it runs the loop, or none does. */
  boolean isConfinedHere() {
    Thread inside = loopThread.get();
    return inside == null || inside == Thread.currentThread();
  }

  /** Refuses a call from a thread other than the one running the loop, while it runs. */
  void checkThread() {
    Thread inside = loopThread.get();
    if (inside != null && inside != Thread.currentThread()) {
      throw busy(inside);
    }
  }

  private static IllegalStateException busy(Thread inside) {
    return new IllegalStateException(
        "the communicator is single-threaded and thread \""
            + inside.getName()
            + "\" runs it; reach it from other threads through post()");
  }

  private static CommunicatorException closedError(String what) {
    return new CommunicatorException(
        CommunicatorException.Kind.CLOSED,
        "cannot " + what + ": the communicator is closed; create a new one.");
  }

  /** The number of rounds begun so far, for tests. */
  long rounds() {
    return roundNumber;
  }

  @Override
  public String toString() {
    return "Communicator(" + connections.size() + " connections)";
  }
}
