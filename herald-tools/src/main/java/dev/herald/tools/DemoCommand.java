package dev.herald.tools;

import dev.herald.examples.engine.EngineDemo;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald demo}: each module at work, live, for a few seconds. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Shows Herald at work, live: the reactor loop, a shared-memory ring, the plugin engine,"
            + " the message dispatcher and a communicator service.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = {"-s", "--seconds"},
      defaultValue = "4",
      converter = Bounds.AtLeastOne.class,
      description = "How long each part runs (default: ${DEFAULT-VALUE}).")
  private long seconds;

  @Override
  public Integer call() throws Exception {
    // Ctrl-C interrupts the running part, which stops its threads and removes its files first.
    try (ShutdownGate _ = ShutdownGate.install()) {
      return run();
    }
  }

  private int run() throws Exception {
    DemoLog log = new DemoLog(System.out);
    log.out()
        .println("Herald demo: every line below is printed live by the component named on it.");
    Duration each = Duration.ofSeconds(seconds);
    new ReactorDemo(log).run(each);
    log.heading("herald-ring: a RING01 shared-memory ring, written and followed live");
    new RingDemo(log).run(each);
    log.heading("herald-engine: the ZeroMQ plugin engine (example app, then the load pipeline)");
    EngineDemo.run(each, log.out());
    log.heading("herald-dispatcher: eventdispatcher messages parsed, checked and dispatched");
    new DispatcherDemo(log).run();
    log.heading("herald-communicator: a service on loopback, asked and stopped over TCP");
    new CommunicatorDemo(log).run();
    log.out().println();
    log.out().println("Done. Try 'bin/herald --help' for the tools.");
    return 0;
  }
}
