package dev.herald.tools;

import dev.herald.os.Errno;
import dev.herald.os.OsException;
import dev.herald.os.Signals;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code herald stop --service PID [--timeout SECONDS]}: asks a service to stop with SIGINT, waits,
 * then insists with SIGTERM, as the upstream {@code ed-stop} does. Scripts call it from a systemd
 * {@code ExecStop=} line with {@code "$MAINPID"}, which is empty when the service already ended: an
 * empty value succeeds silently.
 */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    // Upstream's tool exits 1 on any error, a bad option included: scripts rely on it.
    exitCodeOnInvalidInput = 1,
    description = {
      "Stop a process: SIGINT, wait up to the timeout, then SIGTERM and 10 s more.",
      "Exits 0 when the process is gone or was not running, 1 when it could not be stopped.",
    })
final class StopCommand implements Callable<Integer> {
  /** How long a process gets after SIGTERM, as upstream. */
  static final Duration AFTER_SIGTERM = Duration.ofSeconds(10);

  static final long MIN_TIMEOUT_SECONDS = 10;
  static final long MAX_TIMEOUT_SECONDS = 3600;

  @Spec CommandSpec spec;

  @Option(
      names = {"-s", "--service"},
      required = true,
      paramLabel = "PID",
      description = "The process id to stop; an empty value does nothing and exits 0.")
  String service;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "How long to wait after SIGINT before sending SIGTERM, clamped to 10..3600"
              + " (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  StopCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    if (service.isBlank()) {
      return 0; // "$MAINPID" of a service that is not running
    }
    int pid = processId(service.strip());
    Duration timeout =
        Duration.ofSeconds(Math.clamp(timeoutSeconds, MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS));
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (!signal(pid, Signals.SIGINT)) {
      return 0; // not running: nothing to stop
    }
    if (awaitExit(pid, process, timeout)) {
      return 0;
    }
    spec.commandLine()
        .getErr()
        .printf(
            "%s: process %d still runs %d s after SIGINT; sending SIGTERM%n",
            spec.qualifiedName(), pid, timeout.toSeconds());
    if (!signal(pid, Signals.SIGTERM) || awaitExit(pid, process, AFTER_SIGTERM)) {
      return 0;
    }
    throw new IllegalStateException(
        "process "
            + pid
            + " still runs "
            + AFTER_SIGTERM.toSeconds()
            + " s after SIGTERM; stop it with 'kill -KILL "
            + pid
            + "'");
  }

  private static int processId(String value) {
    int pid;
    try {
      pid = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--service expects a process id, got '"
              + value
              + "' (unit names are not resolved: pass $MAINPID)");
    }
    if (pid <= 0) {
      throw new IllegalArgumentException(
          "--service expects a process id greater than 0, got '" + value + "'");
    }
    return pid;
  }

  /** Sends the signal; false when the process does not exist (any more). */
  private static boolean signal(int pid, int signal) {
    try {
      Signals.send(pid, signal);
      return true;
    } catch (OsException e) {
      if (e.errno() == Errno.ESRCH) {
        return false;
      }
      if (e.errno() == Errno.EPERM) {
        throw new IllegalStateException(
            "not allowed to signal process " + pid + ": run as its user or as root", e);
      }
      throw e;
    }
  }

  /**
   * Waits for the process to end. A handle sees the exit of any process, not only of children; a
   * process that was gone before the handle was taken has no handle.
   */
  private static boolean awaitExit(int pid, Optional<ProcessHandle> process, Duration timeout)
      throws InterruptedException {
    if (process.isEmpty()) {
      return true; // it was gone before the first signal
    }
    try {
      process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !process.get().isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("waiting for process " + pid + " failed", e.getCause());
    }
  }
}
