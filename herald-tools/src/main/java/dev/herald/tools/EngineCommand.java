package dev.herald.tools;

import dev.herald.engine.App;
import dev.herald.examples.engine.ExampleApp;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald engine}: runs the engine example, and watches or pokes a running application over
 * its TCP ports with raw ZeroMQ sockets, exactly as any outside client would.
 */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = "The plugin event engine (wire-compatible with Tapis event-engine).",
    subcommands = {
      EngineCommand.Example.class,
      EngineCommand.Tap.class,
      EngineCommand.Publish.class
    })
final class EngineCommand {
  EngineCommand() {}

  /** {@code herald engine example}: upstream's example with its Python plugin. */
  @Command(
      name = "example",
      mixinStandardHelpOptions = true,
      description =
          "Runs upstream's example: two Java plugins and a Python plugin "
              + "(pyevents/example_plugin.py, run with /usr/bin/python3 and python3-zmq) exchanging "
              + "TypeA/TypeB/TypeC events. Fails with exit code 1 if the Python plugin dies.")
  static final class Example implements Callable<Integer> {
    @Option(
        names = "--publish-port",
        defaultValue = "5559",
        converter = PortNumber.class,
        description = "Default: ${DEFAULT-VALUE}.")
    int publishPort;

    @Option(
        names = "--subscribe-port",
        defaultValue = "5560",
        converter = PortNumber.class,
        description = "Default: ${DEFAULT-VALUE}.")
    int subscribePort;

    @Option(
        names = "--plugin-port",
        defaultValue = "6000",
        converter = PortNumber.class,
        description = "The Python plugin's port. Default: ${DEFAULT-VALUE}.")
    int pluginPort;

    @Option(
        names = "--external",
        description =
            "Start no Python plugin: wait for one on the plugin port, started by you, as"
                + " upstream's example allows (e.g. cd pyevents && python3 example_plugin.py"
                + " 6000).")
    boolean external;

    @Override
    public Integer call() throws Exception {
      // Ctrl-C interrupts the example (Herald's gate): the engine and the plugin stop, its files
      // go.
      System.out.printf(
          "engine example: publish port %d, subscribe port %d, python plugin port %d%n",
          publishPort, subscribePort, pluginPort);
      if (external) {
        System.out.printf(
            "engine example: waiting for an external plugin on tcp://%s:%d"
                + " (e.g. cd pyevents && python3 example_plugin.py %d)%n",
            App.LOOPBACK, pluginPort, pluginPort);
      }
      System.out.flush();
      ExampleApp.Result result =
          external
              ? ExampleApp.runWithExternalPlugin(
                  publishPort, subscribePort, pluginPort, Example::print)
              : ExampleApp.run(publishPort, subscribePort, pluginPort, Example::print);
      System.out.printf("engine example done: %d events dropped%n", result.droppedEvents());
      return 0;
    }

    private static void print(String line) {
      synchronized (System.out) {
        System.out.println("  " + line);
      }
    }
  }

  /** {@code herald engine tap}: a raw SUB on the subscribe port. */
  @Command(
      name = "tap",
      mixinStandardHelpOptions = true,
      description =
          "Prints the events a running application publishes: a raw ZeroMQ SUB connected to"
              + " its subscribe port, with prefix filters. Text events print as text, others as "
              + "hex. Example: herald engine tap --filter TypeA --count 5")
  static final class Tap implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--host", defaultValue = App.LOOPBACK, description = "Default: 127.0.0.1.")
    String host;

    @Option(
        names = "--port",
        defaultValue = "5560",
        converter = PortNumber.class,
        description = "Subscribe port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
        names = {"-f", "--filter"},
        description = "A prefix to subscribe to (repeatable). Default: everything.")
    List<String> filters = new ArrayList<>();

    @Option(
        names = {"-n", "--count"},
        converter = Bounds.AtLeastOne.class,
        description = "Stop after this many events (default: never).")
    Long count;

    @Option(
        names = "--timeout-ms",
        converter = Bounds.AtLeastOne.class,
        description = "Give up if no connection is made within this time (default: keep trying).")
    Long timeoutMs;

    @Override
    public Integer call() {
      try (ZMQ.Context context = ZMQ.context(1);
          ZMQ.Socket sub = context.socket(SocketType.SUB)) {
        if (filters.isEmpty()) {
          sub.subscribe(new byte[0]);
        }
        for (String filter : filters) {
          sub.subscribe(filter.getBytes(StandardCharsets.UTF_8));
        }
        String endpoint = "tcp://" + host + ":" + port;
        PrintWriter err = spec.commandLine().getErr();
        err.printf("tap: connecting to %s ...%n", endpoint);
        err.flush();
        connect(context, sub, endpoint, timeoutMs);
        err.printf("tap: connected to %s, filters %s%n", endpoint, filters);
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        for (long n = 1; count == null || n <= count; n++) {
          List<String> frames = new ArrayList<>();
          do {
            frames.add(readable(sub.recv(0)));
          } while (sub.hasReceiveMore());
          out.println(String.join(" | ", frames));
          out.flush();
        }
      }
      return 0;
    }
  }

  /** {@code herald engine publish}: a raw PUB on the publish port. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Publishes events into a running application: a raw ZeroMQ PUB connected to its "
              + "publish port. Each argument is one single-frame event (include the type prefix)."
              + " Example: herald engine publish TypeAhello 'TypeBwith space'")
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--host", defaultValue = App.LOOPBACK, description = "Default: 127.0.0.1.")
    String host;

    @Option(
        names = "--port",
        defaultValue = "5559",
        converter = PortNumber.class,
        description = "Publish port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--hex", description = "Arguments are hex bytes, not UTF-8 text.")
    boolean hex;

    @Option(
        names = "--connect-wait-ms",
        defaultValue = "300",
        converter = Bounds.NotNegative.class,
        description =
            "Wait after connecting, so the engine's subscription reaches this PUB first"
                + " (ZeroMQ's slow joiner). Default: ${DEFAULT-VALUE}.")
    long connectWaitMs;

    @Option(
        names = "--timeout-ms",
        defaultValue = "5000",
        converter = Bounds.AtLeastOne.class,
        description =
            "Give up if no connection is made within this time. Default: ${DEFAULT-VALUE}.")
    long timeoutMs;

    @Parameters(arity = "1..*", paramLabel = "EVENT", description = "The events.")
    List<String> events;

    @Override
    public Integer call() throws InterruptedException {
      List<byte[]> payloads = new ArrayList<>();
      for (String event : events) {
        payloads.add(hex ? parseHex(event, spec) : event.getBytes(StandardCharsets.UTF_8));
      }
      try (ZMQ.Context context = ZMQ.context(1);
          ZMQ.Socket pub = context.socket(SocketType.PUB)) {
        pub.setLinger(2_000);
        connect(context, pub, "tcp://" + host + ":" + port, timeoutMs);
        Thread.sleep(connectWaitMs);
        for (byte[] bytes : payloads) {
          pub.send(bytes, 0);
          spec.commandLine().getOut().println("published " + readable(bytes));
        }
      }
      return 0;
    }
  }

  /** A {@code --hex} argument, or a usage error naming it. */
  private static byte[] parseHex(String event, CommandSpec spec) {
    try {
      return HexFormat.of().parseHex(event);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          "'" + event + "' is not hex bytes (an even number of 0-9a-f digits, e.g. 54797065410a)",
          e);
    }
  }

  /**
   * Connects {@code socket} and waits until TCP is connected, so that a peer that is not there is
   * reported rather than waited for silently; {@code timeoutMs} null waits for ever.
   */
  @SuppressWarnings("deprecation") // ZMQ.Event: ZMonitor would add a thread for one event
  static void connect(ZMQ.Context context, ZMQ.Socket socket, String endpoint, Long timeoutMs) {
    String monitorAddress = "inproc://herald-monitor-" + System.identityHashCode(socket);
    socket.monitor(monitorAddress, ZMQ.EVENT_CONNECTED);
    try (ZMQ.Socket monitor = context.socket(SocketType.PAIR)) {
      monitor.connect(monitorAddress);
      socket.connect(endpoint);
      long deadline =
          timeoutMs == null ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000;
      while (true) {
        monitor.setReceiveTimeOut(Math.clamp((deadline - System.nanoTime()) / 1_000_000, 1, 1_000));
        ZMQ.Event event = ZMQ.Event.recv(monitor);
        if (event != null && event.getEvent() == ZMQ.EVENT_CONNECTED) {
          break;
        }
        if (timeoutMs != null && System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException(
              "nothing accepted a connection on "
                  + endpoint
                  + " within "
                  + timeoutMs
                  + " ms: is the application running, with this host and port?");
        }
      }
    } finally {
      socket.monitor(null, 0);
    }
  }

  /** UTF-8 text without control characters prints as text, anything else as hex. */
  static String readable(byte[] bytes) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
      if (text.codePoints().noneMatch(Character::isISOControl)) {
        return text;
      }
    } catch (CharacterCodingException e) {
      // not text: fall through to hex
    }
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
