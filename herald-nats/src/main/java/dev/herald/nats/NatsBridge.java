package dev.herald.nats;

import dev.herald.engine.EngineException;
import dev.herald.engine.EventType;
import dev.herald.engine.Inbox;
import dev.herald.engine.Plugin;
import dev.herald.engine.Publisher;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects an engine {@link dev.herald.engine.App} to NATS JetStream, so that applications on
 * different hosts exchange events: the local events of the exported types are published to one
 * subject per type, and the events of the imported types that others store in the stream are
 * published into this application, reaching its internal plugins, external plugins and raw TCP
 * subscribers like any local event. The bytes are unchanged and each publisher's order is kept.
 *
 * <p>The bridge is an internal plugin: register it with the application, and it runs until the
 * application closes. It connects (and creates the stream if needed) in {@link #connect}, before
 * the application runs, so a missing server fails at once. Exported events wait in the bridge's
 * engine queue, with the application's queue capacity and overflow policy, while NATS is slow or
 * away; the counters are in {@link #stats()}.
 *
 * <pre>{@code
 * EventType readings = EventType.named("Reading");
 * EventType commands = EventType.named("Command");
 * try (NatsBridge bridge = NatsBridge.connect(NatsBridgeSettings.of("nats://10.0.0.5:4222")
 *         .exporting(readings)
 *         .importing(commands));
 *     App app = new App(5559, 5560).registerPlugin(bridge).registerPlugin(new Sensor())) {
 *   app.run();                                // until app.close()
 * }
 * }</pre>
 */
public final class NatsBridge implements Plugin, AutoCloseable {
  private static final int STREAM_NOT_FOUND = 10059;

  private final NatsBridgeSettings settings;
  private final Connection connection;
  private final BridgeExporter exporter;
  private final BridgeImporter importer;
  private final AtomicReference<Throwable> importFailure = new AtomicReference<>();

  private NatsBridge(NatsBridgeSettings settings, Connection connection, long startSequence)
      throws IOException {
    this.settings = settings;
    this.connection = connection;
    this.exporter = new BridgeExporter(connection, settings);
    this.importer =
        settings.imports().isEmpty()
            ? null
            : new BridgeImporter(connection, settings, startSequence);
  }

  /**
   * Connects to the first NATS server that answers and makes sure the stream exists (creating it
   * with file storage if it does not). Events of the imported types stored from now on will be
   * imported once the application runs.
   *
   * @param settings servers, types and limits
   * @return the connected bridge, to register with an application
   * @throws NatsException {@code UNREACHABLE} if no server answered within the connect timeout,
   *     {@code STREAM_MISMATCH} if the stream exists with other subjects or JetStream is off,
   *     {@code CONFIGURATION} if a URL is malformed
   */
  public static NatsBridge connect(NatsBridgeSettings settings) {
    Connection connection = open(settings);
    try {
      long start = ensureStream(connection, settings);
      return new NatsBridge(settings, connection, start);
    } catch (IOException e) {
      closeQuietly(connection);
      throw new NatsException(
          NatsException.Kind.STREAM_MISMATCH,
          "cannot use stream "
              + settings.stream()
              + " on "
              + connection.getConnectedUrl()
              + ": "
              + e.getMessage()
              + "; is JetStream enabled (nats-server -js)?",
          e);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /**
   * Returns the plugin's name, {@code nats-bridge-} and the stream's name; its queue's counters
   * appear under it in {@code App.queueStats()}.
   *
   * @return the name
   */
  @Override
  public String name() {
    return "nats-bridge-" + settings.stream();
  }

  /**
   * Returns the exported types: the engine routes their events to the bridge.
   *
   * @return the exported types
   */
  @Override
  public List<EventType> subscriptions() {
    return settings.exports();
  }

  /**
   * Runs the bridge until the application closes: imports on a thread of its own, exports on this
   * one. At shutdown the events already queued for export are still sent and acknowledged, within
   * the drain timeout; then the connection closes.
   *
   * @param publisher publishes imported events into the application
   * @param inbox the events to export
   * @throws NatsException {@code CONSUMER_FAILED} if importing failed, {@code CLOSED} if the
   *     connection was closed under the bridge
   */
  @Override
  public void start(Publisher publisher, Inbox inbox) throws Exception {
    Thread exporting = Thread.currentThread();
    Thread importing = importer == null ? null : startImporter(publisher, exporting);
    try {
      exportUntilClosed(inbox);
    } finally {
      if (importing != null) {
        importer.stop();
        importing.interrupt();
        importing.join();
      }
      close();
    }
    Throwable failure = importFailure.get();
    if (failure instanceof Exception e) {
      throw e;
    }
    if (failure != null) {
      throw (Error) failure;
    }
  }

  /**
   * Returns the bridge's counters.
   *
   * @return exported, dropped, awaiting acknowledgement, imported
   */
  public NatsBridgeStats stats() {
    return new NatsBridgeStats(
        exporter.exported(),
        exporter.dropped(),
        exporter.pendingAcks(),
        importer == null ? 0 : importer.imported());
  }

  /**
   * Closes the connection. The bridge closes it itself when the application ends; closing it
   * earlier makes a running bridge fail with {@code CLOSED}.
   */
  @Override
  public void close() {
    closeQuietly(connection);
  }

  private Thread startImporter(Publisher publisher, Thread exporting) {
    return Thread.ofPlatform()
        .name(name() + "-import")
        .start(
            () -> {
              try {
                importer.run(publisher);
              } catch (Throwable t) {
                // The plugin's own thread reports it: the application then stops.
                importFailure.set(t);
                exporting.interrupt();
              }
            });
  }

  /** Exports until the inbox closes (or the importer failed), then drains what is left. */
  private void exportUntilClosed(Inbox inbox) {
    byte[] current = null;
    try {
      while (importFailure.get() == null) {
        current = inbox.take();
        exportOne(inbox, current, BridgeExporter.FOREVER);
        current = null;
      }
    } catch (InterruptedException e) {
      // The engine interrupts its plugins at shutdown; the importer does when it failed.
    } catch (EngineException e) {
      if (e.kind() != EngineException.Kind.CLOSED && e.kind() != EngineException.Kind.INTERRUPTED) {
        throw e;
      }
    }
    // Shutdown: what is queued still goes out, within the drain time, then counts as dropped.
    // The engine's interrupt has done its job; clear it so that the drain can wait.
    Thread.interrupted();
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    byte[] inHand = current;
    try {
      // Bounded in time too: after a failed importer the application still publishes.
      while (inHand != null
          || (System.nanoTime() - deadline < 0 && (inHand = inbox.poll()) != null)) {
        exportOne(inbox, inHand, deadline);
        inHand = null;
      }
    } catch (InterruptedException e) {
      // Interrupted again: stop draining; what is left counts as dropped.
      for (; inHand != null; inHand = inbox.poll()) {
        while (inbox.hasMore()) {
          inbox.poll();
        }
        exporter.drop();
      }
    }
    exporter.finish(deadline);
  }

  private void exportOne(Inbox inbox, byte[] first, long deadline) throws InterruptedException {
    if (!inbox.hasMore()) {
      exporter.send(first, deadline);
      return;
    }
    // A NATS message is one payload: multi-frame events stay local, counted.
    while (inbox.hasMore()) {
      inbox.take();
    }
    exporter.drop();
  }

  private static Connection open(NatsBridgeSettings settings) {
    Options options;
    try {
      options =
          new Options.Builder()
              .servers(settings.servers().toArray(String[]::new))
              .connectionName("herald " + settings.stream())
              .connectionTimeout(settings.connectTimeout())
              .maxReconnects(-1)
              .reconnectWait(settings.reconnectWait())
              .pingInterval(NatsConnector.PING_INTERVAL) // see there: a stalled writer
              .maxPingsOut(NatsConnector.MAX_PINGS_OUT)
              .requestCleanupInterval(
                  settings.ackTimeout().compareTo(Duration.ofSeconds(1)) < 0
                      ? settings.ackTimeout()
                      : Duration.ofSeconds(1))
              .build();
    } catch (IllegalArgumentException e) {
      throw new NatsException(
          NatsException.Kind.CONFIGURATION,
          "bad NATS server URL in " + settings.servers() + ": " + e.getMessage(),
          e);
    }
    try {
      return Nats.connect(options);
    } catch (IOException e) {
      throw new NatsException(
          NatsException.Kind.UNREACHABLE,
          "no NATS server answered at "
              + settings.servers()
              + " within "
              + settings.connectTimeout().toMillis()
              + " ms ("
              + e.getMessage()
              + "); start nats-server there or fix the URLs",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsException(
          NatsException.Kind.INTERRUPTED, "interrupted while connecting to NATS", e);
    }
  }

  /** Makes sure the stream holds the bridge's subjects; returns the next sequence it will store. */
  private static long ensureStream(Connection connection, NatsBridgeSettings settings)
      throws IOException {
    String subjects = settings.subjectPrefix() + ".>";
    JetStreamManagement management = connection.jetStreamManagement();
    StreamInfo info;
    try {
      info = management.getStreamInfo(settings.stream());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw mismatch(settings, e.getMessage(), e);
      }
      try {
        info =
            management.addStream(
                StreamConfiguration.builder()
                    .name(settings.stream())
                    .subjects(subjects)
                    .storageType(StorageType.File)
                    .discardPolicy(DiscardPolicy.Old)
                    .maxAge(settings.maxAge())
                    .build());
      } catch (JetStreamApiException created) {
        throw mismatch(settings, "creating it failed: " + created.getMessage(), created);
      }
    }
    if (!info.getConfiguration().getSubjects().contains(subjects)) {
      throw mismatch(
          settings,
          "it holds " + info.getConfiguration().getSubjects() + ", not " + subjects,
          null);
    }
    return info.getStreamState().getLastSequence() + 1;
  }

  private static NatsException mismatch(
      NatsBridgeSettings settings, String detail, Throwable cause) {
    return new NatsException(
        NatsException.Kind.STREAM_MISMATCH,
        "stream "
            + settings.stream()
            + " does not fit the bridge: "
            + detail
            + "; choose another stream name or subject prefix",
        cause);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
