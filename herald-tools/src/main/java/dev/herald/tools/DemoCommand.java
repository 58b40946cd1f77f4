package dev.herald.tools;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald demo}: each module at work, live, for a few seconds. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Shows Herald at work: an epoll event loop driven from another thread, live.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = {"-s", "--seconds"},
      defaultValue = "4",
      description = "How long each part runs (default: ${DEFAULT-VALUE}).")
  private int seconds;

  @Override
  public Integer call() throws Exception {
    DemoLog log = new DemoLog(System.out);
    log.out()
        .println("Herald demo: every line below is printed live by the component named on it.");
    new ReactorDemo(log).run(Duration.ofSeconds(Math.max(1, seconds)));
    log.out().println();
    log.out().println("Done. Try 'bin/herald --help' for the tools.");
    return 0;
  }
}
