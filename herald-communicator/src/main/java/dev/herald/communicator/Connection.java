package dev.herald.communicator;

import dev.herald.os.Fd;
import dev.herald.reactor.EventSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One pollable object of a {@link Communicator} (upstream's {@code connection}): a name, a
 * priority, an enabled flag, a done flag, a timeout (a recurring delay and a one-shot date), and
 * optionally an fd; its {@link ConnectionHandler} is called when the fd is ready or the timeout is
 * due.
 *
 * <p>Priorities run from 0 (called first) to {@link #MAX_PRIORITY}; connections of equal priority
 * keep the order they were added in. A disabled connection's fd is not watched and its timeout is
 * neither checked nor advanced; when enabled again, an overdue timeout fires once at once. Whether
 * a connection is enabled is read once per round, before waiting: a connection that a callback
 * disables still gets the events of that round.
 *
 * <p>An fd connection watches its fd for reading ({@link #setReading}, on by default) and, while
 * {@link #isWriting()} (output pending), for writing. {@link #markDone()} asks the communicator to
 * remove the connection once it is not writing any more: a connection with output pending leaves
 * when its output is flushed.
 *
 * <p>Timeouts are upstream's: {@link #setTimeoutDelay} ticks every N µs on the monotonic clock, on
 * the fixed schedule {@code start + k * delay} (a slow loop collapses missed ticks into one late
 * call, without drift); {@link #setTimeoutDate} fires once at a wall-clock date, then reads -1
 * again. The callback runs after the connection's I/O callbacks of the round.
 *
 * <p>Threads: a connection belongs to its communicator's loop thread once added; setters called
 * from another thread while the loop runs fail with {@link IllegalStateException} (use {@link
 * Communicator#post}).
 *
 * <pre>{@code
 * Connection tick = Connection.timer("tick", 1_000_000, ConnectionHandler.onTimeout(c -> poll()));
 * tick.setPriority(10);                            // before connections of the default 100
 * Connection input = Connection.of("input", pipe.source(), handler);
 * communicator.add(tick);
 * communicator.add(input);
 * }</pre>
 */
public final class Connection {
  /** The priority of a new connection. */
  public static final int DEFAULT_PRIORITY = 100;

  /** The largest priority (called last); the smallest is 0. */
  public static final int MAX_PRIORITY = 255;

  private static final EventSet READ_INTEREST =
      EventSet.of(EventSet.IN, EventSet.PRIORITY, EventSet.READ_HANG_UP);

  /**
   * Upstream's writers also ask for {@code POLLRDHUP}; epoll reports it for as long as it lasts, so
   * a connection still writing to a peer that stopped sending would spin the loop.
   */
  private static final EventSet WRITE_INTEREST = EventSet.OUT;

  private final String name;
  private final ConnectionHandler handler;
  private int priority = DEFAULT_PRIORITY;
  private boolean enabled = true;
  private boolean done;
  private boolean reading;
  private boolean writing;

  /** The fd's place in epoll; null for a connection without fd (a timer). */
  final Registration registration;

  final TimeoutSchedule schedule = new TimeoutSchedule();

  // The communicator's bookkeeping, only touched on its loop thread.
  Communicator owner;

  /** The round during which the connection was last added: it joins the next one. */
  long addedInRound;

  /** Whether the connection was enabled when this round's snapshot was taken. */
  boolean enabledInRound;

  /** When the timeout is due, as saved for this round (upstream's saved timeout timestamp). */
  long dueInRound;

  /** The one-shot date that this round's due time came from, else -1. */
  long dateInRound;

  /** Why epoll refused the fd this round, to be reported through {@link #invalid}; else null. */
  RuntimeException refusedInRound;

  private Connection(String name, Fd fd, ConnectionHandler handler) {
    this.name = Objects.requireNonNull(name, "name");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.registration = fd == null ? null : new Registration(fd);
    this.reading = fd != null;
  }

  /**
   * A connection that watches an fd. The connection does not own the fd: close it in {@link
   * ConnectionHandler#removed}, after the connection left its communicator (a number closed while
   * still watched cannot be reused safely by another connection of the same communicator).
   *
   * @param name the name used in logs and errors
   * @param fd the fd; non-blocking, as the loop must never block in a callback
   * @param handler what to do on its events
   * @return the connection, not added yet
   */
  public static Connection of(String name, Fd fd, ConnectionHandler handler) {
    return new Connection(name, Objects.requireNonNull(fd, "fd"), handler);
  }

  /**
   * A connection without fd, driven by its timeout only: upstream's {@code timer} with no timeout
   * ({@code timer(-1)}).
   *
   * @param name the name used in logs and errors
   * @param handler what to do when the timeout is due
   * @return the connection, not added yet
   */
  public static Connection timer(String name, ConnectionHandler handler) {
    return new Connection(name, null, handler);
  }

  /**
   * A timer, as upstream's {@code timer(timeout_us)}: 0 fires once at the next round (a date of
   * now), -1 never, N every N µs, first at now + N.
   *
   * @param name the name used in logs and errors
   * @param timeoutMicros 0, -1 or a delay of at least 10 µs
   * @param handler what to do when the timeout is due
   * @return the connection, not added yet
   * @throws CommunicatorException {@code PARAMETER_ERROR} for another value
   */
  public static Connection timer(String name, long timeoutMicros, ConnectionHandler handler) {
    Connection timer = timer(name, handler);
    if (timeoutMicros == 0) {
      timer.setTimeoutDate(TimeoutSchedule.wallMicros());
    } else {
      timer.setTimeoutDelay(timeoutMicros);
    }
    return timer;
  }

  /**
   * A one-shot timer at a wall-clock date (upstream's {@code timer} with {@code set_timeout_date}):
   * fires once at {@code date}, at the next round if it is past, then has no timeout until a new
   * one is set (the callback may set one).
   *
   * <pre>{@code
   * communicator.add(Connection.timerAt("midnight", nextMidnight, ConnectionHandler.onTimeout(c -> {
   *   rotate();
   *   c.setTimeoutDate(micros(nextMidnight()));   // again tomorrow
   * })));
   * }</pre>
   *
   * @param name the name used in logs and errors
   * @param date when it fires
   * @param handler what to do then
   * @return the connection, not added yet
   */
  public static Connection timerAt(String name, Instant date, ConnectionHandler handler) {
    Connection timer = timer(name, handler);
    long seconds = Math.clamp(date.getEpochSecond(), 0, Long.MAX_VALUE / 1_000_000 - 1);
    timer.setTimeoutDate(seconds * 1_000_000 + (seconds == 0 ? 0 : date.getNano() / 1_000));
    return timer;
  }

  /**
   * The connection's name.
   *
   * @return the name given at creation
   */
  public String name() {
    return name;
  }

  /**
   * The handler called on the connection's events.
   *
   * @return the handler
   */
  public ConnectionHandler handler() {
    return handler;
  }

  /**
   * The fd number, for logs (upstream's {@code get_socket()}).
   *
   * @return the number, or -1 for a connection without fd or once its fd is closed
   */
  public int fdNumber() {
    if (registration == null) {
      return -1;
    }
    try {
      return registration.fd.fd();
    } catch (IllegalStateException closed) {
      return -1;
    }
  }

  /**
   * The communicator this connection was added to.
   *
   * @return the communicator, or empty when the connection is not added
   */
  public Optional<Communicator> communicator() {
    return Optional.ofNullable(owner);
  }

  /**
   * Removes this connection from its communicator (upstream's {@code remove_from_communicator}).
   *
   * @return true if it was removed, false if it was not added
   */
  public boolean remove() {
    return owner != null && owner.remove(this);
  }

  /**
   * The priority.
   *
   * @return 0 to {@link #MAX_PRIORITY}; {@link #DEFAULT_PRIORITY} unless changed
   */
  public int priority() {
    return priority;
  }

  /**
   * Changes the priority; the communicator sorts its connections again (stably) before its next
   * round.
   *
   * @param priority 0 (first) to {@link #MAX_PRIORITY} (last)
   * @throws CommunicatorException {@code PARAMETER_ERROR} out of range, with upstream's text
   */
  public void setPriority(int priority) {
    confined();
    if (priority < 0 || priority > MAX_PRIORITY) {
      throw new CommunicatorException(
          CommunicatorException.Kind.PARAMETER_ERROR,
          "connection::set_priority(): priority out of range, this instance of connection accepts"
              + " priorities between 0 and "
              + MAX_PRIORITY
              + ".");
    }
    this.priority = priority;
    if (owner != null) {
      owner.sortBeforeNextRound();
    }
  }

  /**
   * Whether the connection is enabled.
   *
   * @return true unless disabled
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Enables or disables the connection, from the next round on.
   *
   * @param enabled false to stop watching its fd and its timeout
   */
  public void setEnabled(boolean enabled) {
    confined();
    this.enabled = enabled;
  }

  /**
   * Whether {@link #markDone()} was called.
   *
   * @return the done flag
   */
  public boolean isDone() {
    return done;
  }

  /**
   * Marks the connection done: its communicator removes it before its next round once it is not
   * {@link #isWriting() writing} (pending output is flushed first). Upstream leaves the removal to
   * the buffer connections; here every connection, a timer included, leaves once done.
   */
  public void markDone() {
    confined();
    done = true;
  }

  /** Clears the done flag (upstream's {@code mark_not_done}). */
  public void markNotDone() {
    confined();
    done = false;
  }

  /**
   * Whether the fd is watched for reading.
   *
   * @return true by default for an fd connection, false for a timer
   */
  public boolean isReading() {
    return reading;
  }

  /**
   * Watches the fd for reading or stops (from the next round): {@code IN}, {@code PRIORITY} and
   * {@code READ_HANG_UP}, upstream's reader events.
   *
   * @param reading whether to watch
   * @throws IllegalStateException for a connection without fd
   */
  public void setReading(boolean reading) {
    confined();
    requireFd("setReading");
    this.reading = reading;
  }

  /**
   * Whether output is pending, so that the fd is watched for writing.
   *
   * @return the writing flag
   */
  public boolean isWriting() {
    return writing;
  }

  /**
   * Says whether output is pending: while it is, the fd is watched for writing ({@code OUT}) and
   * {@link ConnectionHandler#writable} is called when it can take more. Takes effect from the next
   * round, and is cheap to call often (epoll is told only on a change).
   *
   * @param writing whether output is pending
   * @throws IllegalStateException for a connection without fd
   */
  public void setWriting(boolean writing) {
    confined();
    requireFd("setWriting");
    this.writing = writing;
  }

  /** What epoll should watch: nothing when disabled. */
  EventSet interest() {
    if (!enabled || registration == null) {
      return EventSet.empty();
    }
    EventSet wanted = reading ? READ_INTEREST : EventSet.empty();
    return writing ? wanted.union(WRITE_INTEREST) : wanted;
  }

  /**
   * The recurring timeout.
   *
   * @return the delay in µs, or -1 when there is none
   */
  public long timeoutDelay() {
    return schedule.delayMicros();
  }

  /**
   * Sets a recurring timeout, anchored now: ticks at {@code now + k * delay}, k ≥ 1, on the
   * monotonic clock (upstream uses the wall clock).
   *
   * @param micros the delay in µs, at least 10, or -1 for none
   * @throws CommunicatorException {@code PARAMETER_ERROR} for another value, with upstream's text
   */
  public void setTimeoutDelay(long micros) {
    confined();
    if (micros != -1 && micros < 10) {
      throw new CommunicatorException(
          CommunicatorException.Kind.PARAMETER_ERROR,
          "connection::set_timeout_delay(): timeout_us parameter cannot be less than 10 unless it"
              + " is exactly -1, "
              + micros
              + " is not valid.");
    }
    schedule.setDelay(micros, System.nanoTime());
  }

  /**
   * The one-shot timeout.
   *
   * @return the wall-clock date in µs since the epoch, or -1 when there is none (also once it
   *     fired)
   */
  public long timeoutDate() {
    return schedule.dateMicros();
  }

  /**
   * Sets a one-shot timeout at a wall-clock date; it takes precedence over the delay, and is reset
   * to -1 just before the callback runs. A date in the past fires at the next round.
   *
   * @param micros µs since the epoch, or -1 for none
   * @throws CommunicatorException {@code PARAMETER_ERROR} below -1, with upstream's text
   */
  public void setTimeoutDate(long micros) {
    confined();
    if (micros < -1) {
      throw new CommunicatorException(
          CommunicatorException.Kind.PARAMETER_ERROR,
          "connection::set_timeout_date(): date_us parameter cannot be less than -1, "
              + micros
              + " is not valid.");
    }
    schedule.setDate(micros);
  }

  private void confined() {
    if (owner != null) {
      owner.checkThread();
    }
  }

  private void requireFd(String call) {
    if (registration == null) {
      throw new IllegalStateException(
          call + "() on connection \"" + name + "\", which has no fd (a timer)");
    }
  }

  @Override
  public String toString() {
    return "Connection(\"" + name + "\", fd " + fdNumber() + ", priority " + priority + ")";
  }
}
