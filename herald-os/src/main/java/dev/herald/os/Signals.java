package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Signal numbers, per-thread signal masks and thread-directed signals.
 *
 * <p>Signal masks belong to threads. A JVM has many threads that Herald does not control, so a
 * signal sent to the whole process ({@code kill}) may be delivered to any of them; a {@link
 * SignalFd} sees it only if it arrives at a thread that blocks it. Signals sent to the thread that
 * reads the signalfd ({@link #raise(int, int)} with its {@link #threadId()}) always reach it. Use
 * platform threads: a virtual thread's mask is its carrier's.
 *
 * <pre>{@code
 * int loopThread = Signals.threadId();      // on the loop thread
 * Signals.raise(loopThread, Signals.SIGUSR1); // from anywhere
 * }</pre>
 */
public final class Signals {
  /** Hang-up. */
  public static final int SIGHUP = 1;

  /** Interrupt (Ctrl-C). */
  public static final int SIGINT = 2;

  /** Quit (the JVM prints a thread dump). */
  public static final int SIGQUIT = 3;

  /** User signal 1. */
  public static final int SIGUSR1 = 10;

  /** User signal 2. */
  public static final int SIGUSR2 = 12;

  /** Broken pipe. */
  public static final int SIGPIPE = 13;

  /** Alarm clock. */
  public static final int SIGALRM = 14;

  /** Termination request. */
  public static final int SIGTERM = 15;

  /** Child stopped or exited. */
  public static final int SIGCHLD = 17;

  /** Window size change. */
  public static final int SIGWINCH = 28;

  /** {@code sizeof(sigset_t)} in glibc. */
  static final int SIGSET_SIZE = 128;

  private static final int SIG_BLOCK = 0;
  private static final int SIG_UNBLOCK = 1;

  private Signals() {}

  /**
   * Blocks signals in the calling thread ({@code pthread_sigmask(SIG_BLOCK)}), so they stay pending
   * for a {@link SignalFd} instead of running a handler.
   *
   * @param signals signal numbers, 1 to 64
   */
  public static void block(int... signals) {
    changeMask(SIG_BLOCK, "pthread_sigmask(SIG_BLOCK)", signals);
  }

  /**
   * Unblocks signals in the calling thread.
   *
   * @param signals signal numbers, 1 to 64
   */
  public static void unblock(int... signals) {
    changeMask(SIG_UNBLOCK, "pthread_sigmask(SIG_UNBLOCK)", signals);
  }

  private static void changeMask(int how, String call, int... signals) {
    try (Arena arena = Arena.ofConfined()) {
      OsException.check(
          Libc.pthreadSigmask(how, sigset(arena, signals), MemorySegment.NULL), call, "");
    }
  }

  /** Builds a {@code sigset_t}: bit {@code signal - 1} of the first 64-bit word. */
  static MemorySegment sigset(Arena arena, int... signals) {
    MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
    long bits = 0;
    for (int signal : signals) {
      if (signal < 1 || signal > 64) {
        throw new IllegalArgumentException("not a signal number: " + signal);
      }
      bits |= 1L << (signal - 1);
    }
    set.set(ValueLayout.JAVA_LONG, 0, bits);
    return set;
  }

  /**
   * The kernel thread id of the calling thread ({@code gettid}).
   *
   * @return the tid
   */
  public static int threadId() {
    return Libc.GETTID.call();
  }

  /**
   * The process id ({@code getpid}).
   *
   * @return the pid
   */
  public static int processId() {
    return Libc.GETPID.call();
  }

  /**
   * Sends {@code signal} to one thread of this process ({@code tgkill}).
   *
   * @param threadId a tid from {@link #threadId()}
   * @param signal the signal number
   * @throws OsException ESRCH if the thread has exited, EINVAL for a bad signal
   */
  public static void raise(int threadId, int signal) {
    OsException.check(
        Libc.TGKILL.call(Libc.GETPID.call(), threadId, signal), "tgkill", "thread " + threadId);
  }

  /**
   * Sends {@code signal} to a process ({@code kill}); signal 0 only checks that the process exists
   * and may be signalled.
   *
   * <pre>{@code
   * Signals.send(pid, Signals.SIGINT); // ask a service to stop
   * }</pre>
   *
   * @param processId a pid, greater than 0 (process groups are not addressed through this call)
   * @param signal the signal number, or 0
   * @throws OsException ESRCH if no such process exists, EPERM if this user may not signal it
   * @throws IllegalArgumentException if {@code processId} is not positive
   */
  public static void send(int processId, int signal) {
    if (processId <= 0) {
      throw new IllegalArgumentException(
          "process id " + processId + " is not a single process: give a pid greater than 0");
    }
    OsException.check(Libc.KILL.call(processId, signal), "kill", "process " + processId);
  }
}
