package dev.herald.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code herald} command line: one subcommand per module, plus the demo.
 *
 * <pre>{@code
 * bin/herald demo
 * bin/herald --help
 * }</pre>
 */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    version = "herald 0.1.0",
    description = "Herald: a Java event framework for Linux.",
    subcommands = {
      DemoCommand.class,
      RingCommand.class,
      EngineCommand.class,
      ServiceCommand.class,
      SignalCommand.class,
      StopCommand.class,
      CheckCertificateCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Herald {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "On an error, print the stack trace after the one-line message.")
  boolean debug;

  /** Set by {@link #main}: the JVM runs Herald as its program, not inside a test or a host. */
  private static volatile boolean runsAsProgram;

  Herald() {}

  /** Whether this JVM was started to run the {@code herald} command line (by {@link #main}). */
  static boolean runsAsProgram() {
    return runsAsProgram;
  }

  /**
   * The command line with Herald's error reporting: a failed command prints one line on stderr and
   * exits 1, a usage error prints one line naming the help and exits 2.
   */
  static CommandLine commandLine() {
    return new CommandLine(new Herald())
        .setExecutionStrategy(Herald::executeGated)
        .setExecutionExceptionHandler(new ErrorReport())
        .setParameterExceptionHandler(new UsageErrorReport());
  }

  /**
   * Runs every command behind a {@link ShutdownGate}, so that Ctrl-C or SIGTERM interrupts it and
   * lets it remove what it made (a decompressed snapshot, a temporary file) before the JVM exits.
   */
  private static int executeGated(ParseResult parsed) {
    try (ShutdownGate _ = ShutdownGate.install()) {
      return new CommandLine.RunLast().execute(parsed);
    }
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    runsAsProgram = true;
    // A signal must not leave a child (the example's Python plugin) running without its parent.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> ProcessHandle.current().children().forEach(ProcessHandle::destroy),
                "herald-children"));
    System.exit(commandLine().execute(args));
  }
}
