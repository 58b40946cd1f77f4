package dev.herald.tools;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns SIGINT and SIGTERM into a stop request for a running command: the JVM's shutdown waits (a
 * bounded time) until the command has stopped its threads and removed its files, so that Ctrl-C
 * leaves nothing behind and never unmaps memory under a running thread.
 *
 * <p>The command polls {@link #stopRequested()}; blocking waits in the command's thread are
 * interrupted. Closing the gate (normally, or after the stop) releases the shutdown.
 */
final class ShutdownGate implements AutoCloseable {
  /** How long a stop may take before the JVM exits anyway. */
  private static final long GRACE_SECONDS = 10;

  /** Set once a signal has asked any command to stop: the JVM is then on its way out. */
  private static final AtomicBoolean SIGNALLED = new AtomicBoolean();

  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownGate(Thread owner, Runnable onSignal) {
    hook =
        new Thread(
            () -> {
              SIGNALLED.set(true);
              stopRequested.set(true);
              onSignal.run();
              owner.interrupt();
              try {
                closed.await(GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "herald-shutdown");
  }

  /** Installs a gate for the calling thread's command. */
  static ShutdownGate install() {
    return install(() -> {});
  }

  /**
   * Installs a gate for the calling thread's command that also runs {@code onSignal} (on the
   * shutdown thread) when a signal comes: for a command that waits where an interrupt does not
   * reach, such as an event loop, and must be told to stop.
   */
  static ShutdownGate install(Runnable onSignal) {
    ShutdownGate gate = new ShutdownGate(Thread.currentThread(), onSignal);
    try {
      Runtime.getRuntime().addShutdownHook(gate.hook);
    } catch (IllegalStateException e) {
      SIGNALLED.set(true);
      gate.stopRequested.set(true); // the signal came first: the command stops at once
      onSignal.run();
    }
    return gate;
  }

  /**
   * Whether a signal has stopped a command in this JVM: its failure is then the stop itself (an
   * interrupted wait, a closed channel), not an error to report.
   */
  static boolean signalled() {
    return SIGNALLED.get();
  }

  /**
   * For a command whose normal end is a stop signal ({@code ring export}, {@code ring import}):
   * once it has released everything, ends the JVM at once with status 0 instead of the signal's
   * (130, 143). Does nothing without a signal, or when the command runs inside another program.
   */
  void exitZeroIfSignalled() {
    if (stopRequested.get() && Herald.runsAsProgram()) {
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(0);
    }
  }

  /** Whether a signal asked the command to stop. */
  boolean stopRequested() {
    return stopRequested.get();
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down and runs the hook, which now returns at once.
    }
  }
}
