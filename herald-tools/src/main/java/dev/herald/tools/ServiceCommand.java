package dev.herald.tools;

import dev.herald.communicator.CommunicatorException;
import dev.herald.communicator.PauseDurations;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code herald service}: the example eventdispatcher service ({@link ExampleService}) as a process
 * that scripts drive: it prints {@code listening on URI} per listener, then {@code ready}, and runs
 * until STOP, SIGINT or SIGTERM, after which it exits 0 with its sockets closed and its Unix socket
 * files removed. SIGINT and SIGTERM take the route {@link StopSignalRoute} finds (the JVM may
 * re-execute itself first, keeping its pid).
 */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an example eventdispatcher service: it answers HELP, ALIVE, STOP and ECHO (replied"
          + " with ECHOED and the same parameters) on every listener, prints 'listening on URI'"
          + " per listener (with the real port when port 0 was given) and then 'ready', and stops"
          + " cleanly on STOP, SIGINT or SIGTERM. Datagram listeners reply only to messages"
          + " with a reply_to=ADDRESS parameter. LOG_ROTATE reopens the --log file.",
      "",
      "Example:",
      "  herald service --listen tcp://127.0.0.1:0 --listen unix:@herald",
    })
final class ServiceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = ExampleService.DEFAULT_NAME,
      converter = ServiceName.class,
      description = "The service name sent in REGISTER. Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(
      names = "--listen",
      paramLabel = "URI",
      converter = ServiceUri.Converter.class,
      description =
          "Where to listen (repeatable): a URI of the form tcp://HOST:PORT,"
              + " tls://HOST:PORT, unix:PATH or unix:@NAME (lines), udp://HOST:PORT, unixgram:PATH"
              + " or unixgram:@NAME (one message per datagram). Port 0 picks a free port.")
  List<ServiceUri> listen = new ArrayList<>();

  @Option(
      names = "--hub",
      paramLabel = "URI",
      converter = ServiceUri.Converter.class,
      description =
          "A peer to stay connected to (tcp://HOST:PORT, tls://HOST:PORT or unix:...): REGISTER is sent on every"
              + " (re)connection and its messages are answered.")
  ServiceUri hub;

  @Option(
      names = "--reconnect",
      paramLabel = "DURATIONS",
      defaultValue = PauseDurations.DEFAULT,
      converter = Pauses.class,
      description =
          "The pauses between attempts to reach the hub, in seconds or with units (s, m, h, d),"
              + " e.g. 1,2,4,8,1m; a negative first entry delays the first attempt. Default:"
              + " ${DEFAULT-VALUE}.")
  PauseDurations reconnect;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "The certificate of tls:// listeners (needs --tls-key).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "The private key of tls:// listeners (needs --tls-cert).")
  Path tlsKey;

  @Option(
      names = "--secret-code",
      paramLabel = "CODE",
      defaultValue = "",
      description =
          "The secret code datagram listeners require in each message (secret_code=CODE);"
              + " messages without it are dropped and counted. Default: none.")
  String secretCode;

  @Option(
      names = "--log",
      paramLabel = "FILE",
      description =
          "Append the service's own lines (start, listeners, stop, errors) to FILE; LOG_ROTATE"
              + " reopens it, so that a renamed FILE is followed by a new one.")
  Path logFile;

  @Mixin LogrotateOptions logrotate;

  @Override
  public Integer call() {
    ExampleService.TlsFiles tls = checkTls();
    if (listen.isEmpty() && hub == null) {
      throw usage("give at least one --listen URI or a --hub URI");
    }
    if (hub != null && hub.port() == 0) {
      throw usage("--hub " + hub + ": give the hub's port (0 only picks a port to listen on)");
    }
    if (hub != null && hub.scheme().isDatagram()) {
      throw usage("--hub " + hub + ": a hub is a stream peer: give tcp://, tls:// or unix:");
    }
    // Before anything is opened: this may replace the JVM by one that blocks the signals.
    StopSignalRoute route = StopSignalRoute.choose(Herald.runsAsProgram());
    PrintStream out = System.out;
    try (ReopenableLog log =
            logFile == null
                ? ReopenableLog.none()
                : ReopenableLog.open(logFile, name + "[" + ProcessHandle.current().pid() + "]");
        ExampleService service = new ExampleService(name, log);
        ShutdownGate gate =
            route.throughSignalConnections()
                ? null
                : ShutdownGate.install(
                    () -> service.requestStop("SIGINT or SIGTERM (JVM shutdown hook)"))) {
      try {
        service.log(route.description());
        if (route.throughSignalConnections()) {
          service.stopOnSignals();
        }
        service.setSecretCode(secretCode);
        for (ServiceUri uri : listen) {
          out.println("listening on " + service.listen(uri, tls));
        }
        String rotate = service.listenLogrotate(logrotate);
        if (rotate != null) {
          out.println("listening on " + rotate + " (logrotate)");
        }
        if (hub != null) {
          service.connectHub(hub, reconnect);
        }
      } catch (CommunicatorException e) {
        service.log("error: " + e.getMessage());
        throw new IllegalStateException(e.getMessage(), e); // one line, exit 1
      }
      out.println("ready");
      out.flush();
      service.run();
      if (gate != null && gate.stopRequested()) {
        // The JVM is shutting down on the signal and would exit with 128 + its number once the
        // gate opens; the service stopped cleanly (run() returned: every socket is closed and its
        // file removed), which the contract reports as 0.
        out.flush();
        Runtime.getRuntime().halt(0);
      }
    }
    return 0;
  }

  /** Checks the TLS options: both or neither, readable files, and both for tls:// listeners. */
  private ExampleService.TlsFiles checkTls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw usage(
          tlsCert == null
              ? "--tls-key needs --tls-cert (the certificate that goes with the key)"
              : "--tls-cert needs --tls-key (the private key of the certificate)");
    }
    // Only listeners present a certificate: a tls:// hub is a client and needs none.
    boolean wanted = listen.stream().anyMatch(u -> u.scheme() == ServiceUri.Scheme.TLS);
    if (tlsCert == null) {
      if (wanted) {
        throw usage("tls:// listeners need --tls-cert PEM and --tls-key PEM");
      }
      return null;
    }
    for (Path file : List.of(tlsCert, tlsKey)) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw usage("'" + file + "' is not a readable file (a PEM certificate or key)");
      }
    }
    return new ExampleService.TlsFiles(tlsCert, tlsKey);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A service name, as upstream accepts it in a message. */
  static final class ServiceName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        new Message().setService(value);
      } catch (MessageException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a service name: " + e.getMessage());
      }
      return value;
    }
  }

  /** Upstream's pause-duration list. */
  static final class Pauses implements ITypeConverter<PauseDurations> {
    @Override
    public PauseDurations convert(String value) {
      try {
        return PauseDurations.parse(value);
      } catch (CommunicatorException | IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "': " + e.getMessage());
      }
    }
  }
}
