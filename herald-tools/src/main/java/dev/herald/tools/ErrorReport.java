package dev.herald.tools;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports a command that failed as one line on stderr, {@code herald <command>: <what failed>},
 * with exit status 1; the stack trace follows only when {@code --debug} was given. A command that
 * fails because a signal stopped it (an interrupted wait) prints nothing: the stop is not an error.
 */
final class ErrorReport implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean stopped = ShutdownGate.signalled();
    if (!stopped) {
      err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
    }
    if (debugRequested(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return stopped ? 130 : 1; // the JVM exits with the signal's status (130, 143) anyway
  }

  /** The exception's own message; exceptions without one are named by what they mean. */
  static String describe(Throwable e) {
    if (e instanceof InterruptedException) {
      return "interrupted";
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getCause() != null
          ? describe(e.getCause())
          : e.getClass().getSimpleName() + " (run again with --debug for the stack trace)";
    }
    return message.lines().findFirst().orElse(message);
  }

  /** {@code --debug} is inherited by every subcommand: it may appear at any level. */
  static boolean debugRequested(ParseResult parsed) {
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }
}
