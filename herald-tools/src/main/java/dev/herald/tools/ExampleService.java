package dev.herald.tools;

import dev.herald.communicator.Communicator;
import dev.herald.communicator.CommunicatorException;
import dev.herald.communicator.Connection;
import dev.herald.communicator.ConnectionHandler;
import dev.herald.communicator.DatagramConnection;
import dev.herald.communicator.DatagramPeer;
import dev.herald.communicator.MessageConnection;
import dev.herald.communicator.PauseDurations;
import dev.herald.communicator.PermanentMessageConnection;
import dev.herald.communicator.SignalConnection;
import dev.herald.communicator.StreamListener;
import dev.herald.communicator.TlsMode;
import dev.herald.communicator.TlsSettings;
import dev.herald.communicator.Transport;
import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageSender;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.SignalFd;
import dev.herald.os.Signals;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The example eventdispatcher service behind {@code herald service} and the demo: one communicator
 * with listeners (TCP, TLS, Unix path, Unix abstract name; UDP and Unix datagrams), an optional
 * permanent connection to a hub, and one dispatcher shared by every connection, answering
 * upstream's default commands plus {@code ECHO} → {@code ECHOED} with the same parameters. A line
 * that is not a message is answered with {@code INVALID message=...}.
 *
 * <p>Datagram listeners reply only to a message that names where: its {@code reply_to=ADDRESS}
 * parameter (removed before dispatching), an address of the listener's family ({@code
 * 127.0.0.1:PORT}, a Unix path, {@code @NAME}). Without one, replies are dropped, as upstream's
 * datagram servers drop them. With a secret code, only messages carrying it are dispatched (and
 * answered); the others are dropped and counted, and the counts logged at the stop.
 *
 * <p>{@link #run()} runs the loop on the calling thread until the service stops: on {@code STOP},
 * on SIGINT or SIGTERM through {@link #stopOnSignals() signal connections}, or {@link
 * #requestStop(String)} from any thread. Stopping closes the listeners (their Unix socket files are
 * removed), ends the hub connection and lets every client connection write its pending replies
 * before it closes; a client that does not take them within {@link #GRACE_MICROS} is cut. {@code
 * LOG_ROTATE}, on any listener, reopens its {@link ReopenableLog log}.
 */
final class ExampleService implements AutoCloseable {
  /** The name sent in {@code REGISTER} unless another is given. */
  static final String DEFAULT_NAME = "herald_service";

  /** The parameter of a datagram message that names where its replies go. */
  static final String REPLY_TO = "reply_to";

  /** How long clients get to take their last replies once the service stops. */
  static final long GRACE_MICROS = 1_000_000;

  /** A certificate and its private key, PEM files, for {@code tls://}. */
  record TlsFiles(Path certificate, Path key) {}

  private final String name;
  private final Communicator communicator = new Communicator();
  private final Dispatcher dispatcher = new Dispatcher();
  private final DefaultCommands defaults;
  private final ServiceHooks hooks;
  private final ReopenableLog log;

  /** Where datagram listeners hand their messages: it picks the reply path, then dispatches. */
  private final Dispatcher datagramDispatcher = new Dispatcher();

  private final List<StreamListener> listeners = new ArrayList<>();
  private final List<DatagramConnection> datagramListeners = new ArrayList<>();
  private final List<SignalConnection> signals = new ArrayList<>();
  private String secretCode = "";
  private final Set<MessageConnection> clients = new LinkedHashSet<>();
  private PermanentMessageConnection hub;
  private boolean stopping;

  /** While stopping with clients left: the timer that cuts those that do not take their replies. */
  private Connection grace;

  ExampleService(String name) {
    this(name, ReopenableLog.none());
  }

  /**
   * A service that writes its own lines (start, listeners, stop, errors) to {@code log}.
   *
   * @param name the name sent in REGISTER
   * @param log the log, reopened on LOG_ROTATE; the caller closes it after the service
   */
  ExampleService(String name, ReopenableLog log) {
    this.name = name;
    this.log = log;
    hooks =
        new ServiceHooks() {
          @Override
          public void stop(boolean quitting) {
            ExampleService.this.stop(quitting ? "QUITTING received" : "STOP received");
          }

          @Override
          public void logRotate() {
            log.line("LOG_ROTATE received: reopening the log");
            log.reopen();
            log.line("log reopened on LOG_ROTATE");
          }
        };
    defaults = DefaultCommands.install(dispatcher, hooks);
    dispatcher.addMatch(DispatcherMatch.command("ECHO", this::echo));
    datagramDispatcher.setFallback(this::fromDatagram); // no entries: every message lands here
    log.line("starting service " + name + " (pid " + ProcessHandle.current().pid() + ")");
  }

  /**
   * Sets the secret code of the datagram listeners opened after this call.
   *
   * @param secretCode the code, empty for none
   */
  void setSecretCode(String secretCode) {
    this.secretCode = secretCode;
  }

  /** A datagram message: replies go to its {@code reply_to} address, or nowhere. */
  private void fromDatagram(Message message) {
    if (message.origin() instanceof DatagramPeer peer && message.hasParameter(REPLY_TO)) {
      String to = message.parameter(REPLY_TO);
      message.removeParameter(REPLY_TO);
      try {
        SocketAddress address = SocketAddress.parse(to);
        if (address.family() != peer.connection().address().family()) {
          throw new IllegalArgumentException("not an address of the listener's family");
        }
        DatagramConnection connection = peer.connection();
        message.setOrigin((MessageSender) (reply, cache) -> connection.sendMessage(reply, address));
      } catch (IllegalArgumentException e) {
        log.line(
            "no reply to \""
                + message.command()
                + "\" from "
                + peer.address()
                + ": reply_to="
                + to
                + " is not a usable address ("
                + e.getMessage()
                + ")");
      }
    }
    dispatcher.dispatchMessage(message);
  }

  private void echo(Message message) {
    Message echoed = new Message().setCommand("ECHOED");
    message.parameters().forEach(echoed::addParameter);
    dispatcher.reply(message, echoed);
  }

  /**
   * Listens on {@code uri} (before {@link #run()}, on the thread that runs it).
   *
   * @param uri where
   * @param tls the certificate and key for {@code tls://}, else null
   * @return the URI as bound: with the real port when port 0 was asked for
   * @throws CommunicatorException {@code LISTEN_FAILED} when the address cannot be bound
   * @throws CommunicatorException {@code TLS_FAILED} when the certificate or key cannot be loaded
   */
  String listen(ServiceUri uri, TlsFiles tls) {
    String bound;
    if (uri.scheme().isDatagram()) {
      DatagramConnection listener =
          DatagramConnection.listen(communicator, uri.toString(), uri.address(), datagramDispatcher)
              .setSecretCode(secretCode);
      datagramListeners.add(listener);
      bound = uri.withAddress(listener.address());
    } else {
      TlsSettings layer =
          uri.scheme() == ServiceUri.Scheme.TLS
              ? TlsSettings.server(tls.certificate(), tls.key()) // read once per listener
              : null;
      StreamListener listener =
          StreamListener.listen(
              communicator, uri.toString(), uri.address(), (l, client) -> accepted(client, layer));
      listeners.add(listener);
      bound = uri.withAddress(listener.address());
    }
    log.line("listening on " + bound);
    return bound;
  }

  /**
   * Opens the logrotate listener if the options ask for one (before {@link #run()}, on its thread).
   *
   * @param options the logrotate options
   * @return its URI, e.g. {@code udp://127.0.0.1:4988}, or null when none was asked for
   * @throws CommunicatorException {@code LISTEN_FAILED} when the address cannot be bound
   */
  String listenLogrotate(LogrotateOptions options) {
    DatagramConnection listener = options.open(communicator, hooks);
    if (listener == null) {
      return null;
    }
    datagramListeners.add(listener);
    String bound = "udp://" + listener.address();
    log.line("logrotate listening on " + bound);
    return bound;
  }

  /**
   * Stops the service on SIGINT and SIGTERM through signal connections (on the loop's thread,
   * before {@link #run()}). A signal sent to the process reaches them only when every thread of the
   * JVM blocks it (see {@link StopSignalRoute}).
   */
  void stopOnSignals() {
    for (int signal : new int[] {Signals.SIGINT, Signals.SIGTERM}) {
      signals.add(SignalConnection.open(communicator, signal, this::signalled));
    }
  }

  private void signalled(SignalConnection connection, SignalFd.Info info) {
    String signal = info.signal() == Signals.SIGINT ? "SIGINT" : "SIGTERM";
    // Posted, so that the connection is not closed under its own listener.
    requestStop(signal + " from pid " + info.senderPid() + " (signal connection)");
  }

  /**
   * Writes a line to the service's log.
   *
   * @param text the line
   */
  void log(String text) {
    log.line(text);
  }

  private void accepted(Socket client, TlsSettings layer) {
    if (stopping) {
      client.close();
      return;
    }
    MessageConnection connection =
        MessageConnection.open(
            communicator,
            "client",
            layer == null ? Transport.of(client) : layer.serverTransport(client),
            dispatcher);
    answerInvalidLines(connection);
    clients.add(connection);
    connection.onClosed(
        (c, failure) -> {
          clients.remove(c);
          if (grace != null && clients.isEmpty() && !hubOpen()) {
            grace.remove(); // the last one is gone: nothing left to wait for
          }
        });
  }

  /** A line that is not a message gets an error reply; the connection goes on. */
  private static void answerInvalidLines(MessageConnection connection) {
    connection.onInvalidLine(
        (c, problem) ->
            c.sendMessage(
                new Message().setCommand("INVALID").addParameter("message", problem.getMessage()),
                false));
  }

  /**
   * Keeps a connection to a hub: attempts on the schedule of {@code pauses}, {@code REGISTER
   * service=NAME;version=1} on every (re)connection, and messages arriving on it answered as any
   * client's.
   *
   * @param uri the hub, {@code tcp://}, {@code tls://} or {@code unix:}
   * @param pauses the schedule
   */
  void connectHub(ServiceUri uri, PauseDurations pauses) {
    // A hub over TLS is verified against the JDK's CAs; SECURE still connects to one that is not,
    // with a warning in the log, as upstream's services do.
    // A host name (not an address) goes out as SNI and is checked against the certificate.
    TlsSettings layer = TlsSettings.plain();
    if (uri.scheme() == ServiceUri.Scheme.TLS) {
      TlsSettings.Builder secure = TlsSettings.builder(TlsMode.SECURE);
      if (HostAndPort.isName(uri.host())) {
        secure.serverName(uri.host());
      }
      layer = secure.build();
    }
    hub =
        PermanentMessageConnection.open(
            communicator, "hub " + uri, List.of(uri.address()), pauses, dispatcher, layer);
    dispatcher.setSender(hub);
    hub.onConnected(
        h -> {
          h.messenger().ifPresent(ExampleService::answerInvalidLines);
          defaults.registerService(name);
        });
  }

  /** Runs the service on the calling thread until it stops. */
  void run() {
    communicator.run();
    log.line("stopped");
  }

  /**
   * Asks the service to stop; from any thread, any number of times.
   *
   * @param reason why, for the log
   */
  void requestStop(String reason) {
    try {
      communicator.post(() -> stop(reason));
    } catch (CommunicatorException closed) {
      // Stopped and closed already: nothing left to stop.
    }
  }

  /** On the loop thread: ends everything; {@link #run()} returns once the replies are out. */
  private void stop(String reason) {
    if (stopping) {
      return;
    }
    stopping = true;
    log.line("stopping: " + reason);
    listeners.forEach(StreamListener::close);
    for (DatagramConnection listener : datagramListeners) {
      log.line(listener.name() + " at " + listener.address() + ": " + listener.counters());
      listener.close();
    }
    signals.forEach(SignalConnection::close);
    if (hub != null) {
      hub.markDone();
    }
    if (clients.isEmpty() && !hubOpen()) {
      return;
    }
    List.copyOf(clients).forEach(MessageConnection::markDone);
    // Clients and a hub that do not take their output (or a hub stuck in its TLS handshake) get
    // the grace period, then they are cut: the stop never waits on a peer.
    grace =
        Connection.timer(
            "grace",
            GRACE_MICROS,
            ConnectionHandler.onTimeout(
                timer -> {
                  timer.remove();
                  List.copyOf(clients).forEach(MessageConnection::close);
                  if (hub != null) {
                    hub.messenger().ifPresent(MessageConnection::close);
                  }
                }));
    communicator.add(grace);
  }

  private boolean hubOpen() {
    return hub != null && hub.messenger().isPresent();
  }

  /** Closes the listeners and connections if {@link #run()} did not; removes Unix socket files. */
  @Override
  public void close() {
    communicator.close();
  }
}
