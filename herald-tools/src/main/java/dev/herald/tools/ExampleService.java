package dev.herald.tools;

import dev.herald.communicator.Communicator;
import dev.herald.communicator.CommunicatorException;
import dev.herald.communicator.Connection;
import dev.herald.communicator.ConnectionHandler;
import dev.herald.communicator.MessageConnection;
import dev.herald.communicator.PauseDurations;
import dev.herald.communicator.PermanentMessageConnection;
import dev.herald.communicator.StreamListener;
import dev.herald.communicator.TlsMode;
import dev.herald.communicator.TlsSettings;
import dev.herald.communicator.Transport;
import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The example eventdispatcher service behind {@code herald service} and the demo: one communicator
 * with listeners (TCP, Unix path, Unix abstract name), an optional permanent connection to a hub,
 * and one dispatcher shared by every connection, answering upstream's default commands plus {@code
 * ECHO} → {@code ECHOED} with the same parameters. A line that is not a message is answered with
 * {@code INVALID message=...}.
 *
 * <p>{@link #run()} runs the loop on the calling thread until the service stops: on {@code STOP},
 * or {@link #requestStop()} from any thread. Stopping closes the listeners (their Unix socket files
 * are removed), ends the hub connection and lets every client connection write its pending replies
 * before it closes; a client that does not take them within {@link #GRACE_MICROS} is cut.
 */
final class ExampleService implements AutoCloseable {
  /** The name sent in {@code REGISTER} unless another is given. */
  static final String DEFAULT_NAME = "herald_service";

  /** How long clients get to take their last replies once the service stops. */
  static final long GRACE_MICROS = 1_000_000;

  /** A certificate and its private key, PEM files, for {@code tls://}. */
  record TlsFiles(Path certificate, Path key) {}

  private final String name;
  private final Communicator communicator = new Communicator();
  private final Dispatcher dispatcher = new Dispatcher();
  private final DefaultCommands defaults;
  private final List<StreamListener> listeners = new ArrayList<>();
  private final Set<MessageConnection> clients = new LinkedHashSet<>();
  private PermanentMessageConnection hub;
  private boolean stopping;

  /** While stopping with clients left: the timer that cuts those that do not take their replies. */
  private Connection grace;

  ExampleService(String name) {
    this.name = name;
    defaults =
        DefaultCommands.install(
            dispatcher,
            new ServiceHooks() {
              @Override
              public void stop(boolean quitting) {
                ExampleService.this.stop();
              }
            });
    dispatcher.addMatch(DispatcherMatch.command("ECHO", this::echo));
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
    TlsSettings layer =
        switch (uri.scheme()) {
          case TCP, UNIX -> null;
          case TLS -> TlsSettings.server(tls.certificate(), tls.key()); // read once per listener
        };
    StreamListener listener =
        StreamListener.listen(
            communicator, uri.toString(), uri.address(), (l, client) -> accepted(client, layer));
    listeners.add(listener);
    return uri.withAddress(listener.address());
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
      if (!uri.host().isEmpty() && !uri.host().contains(":") && !uri.host().matches("[0-9.]+")) {
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
  }

  /** Asks the service to stop; from any thread, any number of times. */
  void requestStop() {
    try {
      communicator.post(this::stop);
    } catch (CommunicatorException closed) {
      // Stopped and closed already: nothing left to stop.
    }
  }

  /** On the loop thread: ends everything; {@link #run()} returns once the replies are out. */
  private void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    listeners.forEach(StreamListener::close);
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
