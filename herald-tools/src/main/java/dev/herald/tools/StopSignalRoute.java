package dev.herald.tools;

import dev.herald.os.OsException;
import dev.herald.os.ProcessImage;
import dev.herald.os.SignalMasks;
import dev.herald.os.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How SIGINT and SIGTERM reach {@code herald service}: through signal connections on its loop when
 * every thread of the JVM blocks them, else through the JVM's shutdown hook ({@link ShutdownGate}).
 *
 * <p>A JVM cannot get there by itself once it runs: HotSpot unblocks SIGINT and SIGTERM in each
 * thread it starts, unless started with {@code -Xrs}, and its own threads exist before any Java
 * code. So {@link #choose} re-executes the JVM ({@code execve}, same pid, same command line with
 * {@code -Xrs} added, and {@value #MARKER} set in the environment so that it happens once) with
 * both signals blocked in the calling thread, whose mask the new program's threads inherit. A
 * signal sent in the moment between the block and the new JVM's start can be taken by another
 * thread of the old one and lost with it.
 */
record StopSignalRoute(boolean throughSignalConnections, String description) {
  /** Set in the environment of the re-executed JVM; set it beforehand to prevent the re-exec. */
  static final String MARKER = "HERALD_SERVICE_REEXEC";

  private static final int[] STOP_SIGNALS = {Signals.SIGINT, Signals.SIGTERM};

  /**
   * Finds the route, re-executing the JVM when it may and must (then it does not return).
   *
   * @param mayReexec whether this JVM runs the command as its own program (not in-process, as in a
   *     test), so that replacing it is right
   * @return the route, with a line that says which and why
   */
  static StopSignalRoute choose(boolean mayReexec) {
    List<String> open = notBlocking();
    if (open.isEmpty()) {
      return new StopSignalRoute(
          true,
          "SIGINT/SIGTERM reach the loop through signal connections (blocked in every thread)");
    }
    String reason;
    if (System.getenv(MARKER) != null) {
      reason = MARKER + " is set and the signals still reach thread " + open.getFirst();
    } else if (!mayReexec) {
      reason = "the command runs inside another program's JVM, which is not re-executed";
    } else {
      reason = reexec(); // returns only when the re-exec failed
    }
    return new StopSignalRoute(
        false, "SIGINT/SIGTERM reach the service through the JVM shutdown hook: " + reason);
  }

  private static List<String> notBlocking() {
    List<String> open = new ArrayList<>();
    for (int signal : STOP_SIGNALS) {
      open.addAll(SignalMasks.threadsNotBlocking(signal));
    }
    return open;
  }

  /** Replaces this JVM by itself with -Xrs and the signals blocked; returns why it could not. */
  private static String reexec() {
    List<String> arguments;
    String program;
    try {
      byte[] line = Files.readAllBytes(Path.of("/proc/self/cmdline"));
      arguments =
          new ArrayList<>(Arrays.asList(new String(line, StandardCharsets.UTF_8).split("\0")));
      program = Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot read this JVM's command line to re-execute it (" + e.getMessage() + ")";
    }
    if (!arguments.contains("-Xrs")) {
      arguments.add(1, "-Xrs");
    }
    List<String> environment = new ArrayList<>(ProcessImage.currentEnvironment());
    environment.add(MARKER + "=1");
    Signals.block(STOP_SIGNALS);
    System.out.flush();
    System.err.flush();
    try {
      ProcessImage.markCloseOnExec(3); // the old JVM's jars and module image
      ProcessImage.exec(program, arguments, environment);
      throw new IllegalStateException("execve returned without an error");
    } catch (OsException | UncheckedIOException e) {
      Signals.unblock(STOP_SIGNALS); // one that came meanwhile goes to the JVM's handler now
      return "cannot re-execute " + program + " with -Xrs (" + e.getMessage() + ")";
    }
  }
}
