package dev.herald.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      CommandLine.HelpCommand.class,
    })
public final class Herald {
  Herald() {}

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Herald()).execute(args));
  }
}
