package dev.herald.tools;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a usage error (a bad or missing option or argument) as one line on stderr that names the
 * help to read, with picocli's exit status 2. A command group called without a subcommand lists its
 * subcommands instead.
 */
final class UsageErrorReport implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    boolean missingSubcommand =
        !cmd.getSubcommands().isEmpty()
            && !(e instanceof UnmatchedArgumentException)
            && (cmd.getParseResult() == null || !cmd.getParseResult().hasSubcommand());
    if (missingSubcommand) {
      err.println(name + ": a subcommand is required");
      cmd.usage(err);
    } else {
      err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
