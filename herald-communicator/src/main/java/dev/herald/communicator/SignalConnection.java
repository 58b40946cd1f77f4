package dev.herald.communicator;

import dev.herald.os.SignalFd;
import dev.herald.os.SignalMasks;
import dev.herald.os.Signals;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signal as a connection (upstream's {@code ed::signal}): a {@code signalfd} in the loop, its
 * listener called on the loop thread once for each signal received, with the sender's pid.
 *
 * <p>One listener per signal per communicator: opening a second one for the same signal is refused
 * (upstream refuses a second one per process; here several communicators may each have one, and a
 * signal sent to the process then goes to whichever reads first). Each wake-up reads every pending
 * signal (a standard signal sent twice before it is read arrives once, as the kernel merges it;
 * real-time signals are queued and each arrives).
 *
 * <p>How a signal reaches the loop: opening the connection blocks the signal in the calling thread,
 * which should be the loop's. A signal sent to the loop thread ({@link Signals#raise}) then always
 * arrives. A signal sent to the process ({@code kill PID}) goes to any thread that does not block
 * it, and the JVM has threads Herald does not own (GC, compiler, reaper...): there it runs the
 * default action (SIGUSR1 ends the process) or the JVM's handler (SIGINT, SIGTERM and SIGHUP run
 * its shutdown hooks). It reaches the loop only when every thread blocks it, which a JVM must be
 * started with: the signal blocked in the mask it inherits ({@link
 * dev.herald.os.ChildProcess#spawn} with {@code blockedSignals}), plus {@code -Xrs} for SIGINT,
 * SIGTERM and SIGHUP, which HotSpot otherwise unblocks in each of its threads. {@link
 * #threadsNotBlocking()} says which threads would take it; opening logs a warning when there are
 * any.
 *
 * <pre>{@code
 * SignalConnection.open(communicator, Signals.SIGTERM, (connection, info) -> {
 *   log.info("SIGTERM from pid {}", info.senderPid());
 *   stopService();                           // remove the connections: run() returns
 * });
 * }</pre>
 */
public final class SignalConnection {
  private static final Logger LOG = LoggerFactory.getLogger(SignalConnection.class);

  /**
   * Signals a listener cannot take: SIGKILL and SIGSTOP cannot be blocked, HotSpot needs SIGILL,
   * SIGBUS, SIGFPE and SIGSEGV (its own faults) and SIGUSR2 (suspending and resuming threads).
   */
  private static final Set<Integer> REFUSED = Set.of(4, 7, 8, 9, 11, 12, 19);

  /** What to do with each signal received. */
  @FunctionalInterface
  public interface Listener {
    /**
     * A signal was received.
     *
     * @param connection the signal connection
     * @param info the signal, its {@code si_code} and the sender's pid and uid
     */
    void received(SignalConnection connection, SignalFd.Info info);
  }

  private final int signal;
  private final SignalFd signalFd;
  private final Listener listener;
  private final Connection connection;

  private SignalConnection(String name, int signal, Listener listener) {
    this.signal = signal;
    this.listener = listener;
    this.signalFd = SignalFd.create(signal);
    this.connection = Connection.of(name, signalFd, new Events());
  }

  /**
   * Opens a signal connection and adds it to {@code communicator}. Call it on the thread that runs
   * (or will run) the loop: the signal is blocked in the calling thread.
   *
   * @param communicator the loop
   * @param signal the signal number, e.g. {@link Signals#SIGTERM}
   * @param listener called on the loop thread for each signal received
   * @return the connection
   * @throws CommunicatorException {@code INVALID_PARAMETER} if the communicator has a listener for
   *     this signal already, or for a signal that cannot be listened to (SIGKILL, SIGSTOP, and
   *     those the JVM needs: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGUSR2)
   */
  public static SignalConnection open(Communicator communicator, int signal, Listener listener) {
    return open(communicator, "signal " + signal, signal, listener);
  }

  /**
   * Opens a signal connection with a name of its own (see {@link #open(Communicator, int,
   * Listener)}).
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param signal the signal number
   * @param listener called on the loop thread for each signal received
   * @return the connection
   */
  public static SignalConnection open(
      Communicator communicator, String name, int signal, Listener listener) {
    Objects.requireNonNull(communicator, "communicator");
    Objects.requireNonNull(listener, "listener");
    if (signal < 1 || signal > 64 || REFUSED.contains(signal)) {
      throw new CommunicatorException(
          CommunicatorException.Kind.INVALID_PARAMETER,
          "signal "
              + signal
              + " cannot have a listener: "
              + (signal < 1 || signal > 64
                  ? "it is not a signal number (1 to 64)."
                  : "it cannot be blocked (SIGKILL, SIGSTOP) or the JVM needs it (SIGSEGV,"
                      + " SIGBUS, SIGILL, SIGFPE, SIGUSR2)."));
    }
    for (Connection existing : communicator.connections()) {
      if (existing.handler() instanceof Events other && other.signal() == signal) {
        throw new CommunicatorException(
            CommunicatorException.Kind.INVALID_PARAMETER,
            "signal "
                + signal
                + " has a listener in this communicator already (connection \""
                + existing.name()
                + "\"); a signal can be listened to once per communicator: share that"
                + " listener, or close it first.");
      }
    }
    SignalConnection opened = new SignalConnection(name, signal, listener);
    try {
      communicator.add(opened.connection);
    } catch (RuntimeException e) {
      opened.signalFd.close();
      throw e;
    }
    List<String> open = SignalMasks.threadsNotBlocking(signal);
    if (!open.isEmpty()) {
      LOG.warn(
          "signal {} is not blocked in {} threads of this process (e.g. {}): sent to the process"
              + " (kill), it may run its default action or the JVM's handler there instead of"
              + " reaching connection \"{}\"; start the JVM with it blocked (and -Xrs for"
              + " SIGINT/SIGTERM/SIGHUP), or send it to the loop thread.",
          signal,
          open.size(),
          open.getFirst(),
          name);
    }
    return opened;
  }

  /**
   * The signal listened to.
   *
   * @return the signal number
   */
  public int signal() {
    return signal;
  }

  /**
   * The connection in the loop: its name, priority and enabled flag.
   *
   * @return the connection
   */
  public Connection connection() {
    return connection;
  }

  /**
   * The threads of this process that do not block the signal now: where a signal sent to the
   * process may go instead of the loop (see the class comment).
   *
   * @return {@code "TID (name)"} of each; empty when a {@code kill} always reaches the loop
   */
  public List<String> threadsNotBlocking() {
    return SignalMasks.threadsNotBlocking(signal);
  }

  /**
   * Removes the connection and closes its signalfd; the signal stays blocked in the thread that
   * opened it (a signal arriving later stays pending).
   */
  public void close() {
    if (!connection.remove()) {
      signalFd.close();
    }
  }

  @Override
  public String toString() {
    return "SignalConnection(" + signal + ", " + connection + ")";
  }

  /** The loop's callbacks. */
  private final class Events implements ConnectionHandler {
    int signal() {
      return signal;
    }

    @Override
    public void readable(Connection c) {
      // Every pending signal, so that none waits for another wake-up.
      for (SignalFd.Info info = signalFd.take(); info != null; info = signalFd.take()) {
        listener.received(SignalConnection.this, info);
        if (c.communicator().isEmpty()) {
          return; // the listener closed it
        }
      }
    }

    @Override
    public void removed(Connection c) {
      signalFd.close();
    }
  }
}
