package dev.herald.communicator;

import dev.herald.os.ChildProcess;
import dev.herald.os.ChildStatus;
import dev.herald.os.Errno;
import dev.herald.os.OsException;
import dev.herald.os.Signals;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child processes ending, through SIGCHLD (upstream's {@code signal_child}): a {@link
 * SignalConnection} on SIGCHLD with one listener per child pid, called on the loop thread with the
 * child's {@link ChildStatus} once it ended.
 *
 * <p>Reaping: on each SIGCHLD wake-up, each watched pid is asked with {@code waitid(P_PID, pid,
 * WEXITED | WNOHANG)}, for that pid only, so that no other child is reaped (SIGCHLD does not say
 * how many children ended: the kernel merges it). Never watch a child of {@link ProcessBuilder}:
 * the JVM reaps each child it starts on its "process reaper" thread, blocked in {@code
 * waitpid(pid)}, which almost always wins against the loop, and a status reaped here would be lost
 * to its {@code Process} ({@code exitValue()} would be wrong). Use {@code process.onExit()} for
 * those (and {@link Communicator#post} to reach the loop); watch children started by {@link
 * ChildProcess#spawn}, which the JVM never waits for.
 *
 * <p>SIGCHLD is sent to the process, and the JVM's threads do not block it: as with any {@link
 * SignalConnection}, it reaches the loop only in a JVM started with SIGCHLD blocked (its default
 * action elsewhere is to discard it). Being one signal, SIGCHLD has one {@code ChildExits} per
 * communicator.
 *
 * <pre>{@code
 * ChildExits exits = ChildExits.open(communicator);
 * int pid = ChildProcess.spawn(List.of("make"), Map.of());
 * exits.watch(pid, status -> log.info("make ended: {}", status));   // EXITED 0, KILLED 9, ...
 * }</pre>
 */
public final class ChildExits {
  private static final Logger LOG = LoggerFactory.getLogger(ChildExits.class);

  private final Communicator communicator;
  private final Map<Integer, Consumer<ChildStatus>> watched = new LinkedHashMap<>();
  private final SignalConnection signal;

  private ChildExits(Communicator communicator) {
    this.communicator = communicator;
    this.signal =
        SignalConnection.open(communicator, "SIGCHLD", Signals.SIGCHLD, (c, info) -> reapAll());
  }

  /**
   * Opens the SIGCHLD connection of {@code communicator}, on the loop's thread (see {@link
   * SignalConnection#open}).
   *
   * @param communicator the loop
   * @return the child watcher
   * @throws CommunicatorException {@code INVALID_PARAMETER} if the communicator listens to SIGCHLD
   *     already
   */
  public static ChildExits open(Communicator communicator) {
    return new ChildExits(Objects.requireNonNull(communicator, "communicator"));
  }

  /**
   * Calls {@code listener} once, on the loop thread, when child {@code pid} ended (at the next
   * round if it has ended already); the child is reaped then. One listener per pid: a new one
   * replaces the old.
   *
   * @param pid a child of this process that the JVM does not wait for (see the class comment)
   * @param listener what to do with its status
   * @throws CommunicatorException {@code INVALID_PARAMETER} if {@code pid} is not a child of this
   *     process, or was reaped already
   */
  public void watch(int pid, Consumer<ChildStatus> listener) {
    Objects.requireNonNull(listener, "listener");
    communicator.checkThread();
    ChildStatus ended;
    try {
      ended = ChildProcess.reap(pid, false);
    } catch (OsException e) {
      if (e.errno() != Errno.ECHILD) {
        throw e;
      }
      throw new CommunicatorException(
          CommunicatorException.Kind.INVALID_PARAMETER,
          e.errno(),
          "process "
              + pid
              + " is not a child of this process, or was reaped already; only children can be"
              + " watched.",
          e);
    }
    if (ended != null) {
      communicator.post(() -> listener.accept(ended)); // a listener runs in a round, as always
    } else {
      watched.put(pid, listener);
    }
  }

  /**
   * Stops watching a pid; the child is left to be reaped by someone else.
   *
   * @param pid the child
   * @return true if it was watched
   */
  public boolean forget(int pid) {
    communicator.checkThread();
    return watched.remove(pid) != null;
  }

  /**
   * The pids watched and not ended yet.
   *
   * @return a copy, in the order they were watched
   */
  public List<Integer> watching() {
    return List.copyOf(watched.keySet());
  }

  /**
   * The SIGCHLD connection underneath (its {@link SignalConnection#threadsNotBlocking()} says
   * whether SIGCHLD reaches the loop).
   *
   * @return the signal connection
   */
  public SignalConnection signal() {
    return signal;
  }

  /** Stops listening to SIGCHLD; the children still watched are left unreaped. */
  public void close() {
    watched.clear();
    signal.close();
  }

  /** A SIGCHLD arrived: each watched child that ended is reaped and reported. */
  private void reapAll() {
    for (Integer pid : List.copyOf(watched.keySet())) {
      ChildStatus status;
      try {
        status = ChildProcess.reap(pid, false);
      } catch (OsException e) {
        LOG.error(
            "child {} could not be reaped ({}): something else waited for it (a ProcessBuilder"
                + " child?); its listener is dropped.",
            pid,
            e.getMessage());
        watched.remove(pid);
        continue;
      }
      if (status != null) {
        Consumer<ChildStatus> listener = watched.remove(pid);
        if (listener != null) {
          listener.accept(status);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "ChildExits(watching " + watched.keySet() + ")";
  }
}
