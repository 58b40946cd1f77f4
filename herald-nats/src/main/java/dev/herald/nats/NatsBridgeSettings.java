package dev.herald.nats;

import dev.herald.engine.EventType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link NatsBridge} connects to and carries: the NATS servers, the event types it exports
 * from the application and imports into it, the JetStream stream that holds them, and its limits.
 * Each event type travels on its own subject, {@code subjectPrefix + "." + type.name()}.
 *
 * <pre>{@code
 * NatsBridgeSettings settings = NatsBridgeSettings.of("nats://10.0.0.5:4222")
 *     .exporting(EventType.named("Reading"))        // local events sent to NATS
 *     .importing(EventType.named("Command"))        // events from NATS routed locally
 *     .maxPendingAcks(2048);
 * }</pre>
 *
 * @param servers NATS URLs tried in order ({@code nats://host:port})
 * @param exports event types sent to NATS: every local event that starts with one of their filters
 * @param imports event types received from NATS and published into the application
 * @param stream the JetStream stream's name; created (file storage) if it does not exist
 * @param subjectPrefix the subjects' first tokens; the stream holds {@code subjectPrefix + ".>"}
 * @param maxPendingAcks exported events sent but not yet acknowledged, at most (the window)
 * @param connectTimeout how long the first connection may take before {@code UNREACHABLE}
 * @param ackTimeout how long an exported event may wait for its acknowledgement before it counts as
 *     dropped
 * @param reconnectWait the pause between two reconnection attempts after the server went away
 * @param drainTimeout how long shutdown may spend sending the events still queued and awaiting
 *     their acknowledgements
 * @param maxAge how long the stream keeps an event (when the bridge creates the stream)
 */
public record NatsBridgeSettings(
    List<String> servers,
    List<EventType> exports,
    List<EventType> imports,
    String stream,
    String subjectPrefix,
    int maxPendingAcks,
    Duration connectTimeout,
    Duration ackTimeout,
    Duration reconnectWait,
    Duration drainTimeout,
    Duration maxAge) {
  /** The stream the bridge uses unless told otherwise. */
  public static final String DEFAULT_STREAM = "HERALD_EVENTS";

  /** The subjects' prefix unless told otherwise. */
  public static final String DEFAULT_SUBJECT_PREFIX = "herald.events";

  /** The default window of unacknowledged exported events. */
  public static final int DEFAULT_MAX_PENDING_ACKS = 1024;

  /** Checks every value; a bad one is a {@code CONFIGURATION} error that names it. */
  public NatsBridgeSettings {
    servers = List.copyOf(servers);
    exports = List.copyOf(exports);
    imports = List.copyOf(imports);
    if (servers.isEmpty()) {
      throw configuration("at least one NATS server URL is needed (nats://host:4222)");
    }
    for (String url : servers) {
      if (url.isBlank()) {
        throw configuration("a NATS server URL is blank");
      }
    }
    if (!stream.matches("[A-Za-z0-9_-]+")) {
      throw configuration(
          "stream name '" + stream + "' may hold only letters, digits, '_' and '-'");
    }
    for (String token : subjectPrefix.split("\\.", -1)) {
      checkToken(token, "subject prefix '" + subjectPrefix + "'");
    }
    if (maxPendingAcks < 1 || maxPendingAcks > 1 << 20) {
      throw configuration("maxPendingAcks must be 1.." + (1 << 20) + ", not " + maxPendingAcks);
    }
    positive(connectTimeout, "connectTimeout");
    positive(ackTimeout, "ackTimeout");
    positive(reconnectWait, "reconnectWait");
    positive(drainTimeout, "drainTimeout");
    positive(maxAge, "maxAge");
    for (EventType type : exports) {
      checkToken(type.name(), "the name of exported " + type);
    }
    for (EventType type : imports) {
      checkToken(type.name(), "the name of imported " + type);
      for (EventType exported : exports) {
        // An imported event that matched an export filter would go straight back to NATS.
        if (type.matches(exported.filter()) || exported.matches(type.filter())) {
          throw configuration(
              "imported "
                  + type
                  + " and exported "
                  + exported
                  + " overlap (one filter is a prefix of the other): imported events would be"
                  + " exported again; import and export disjoint types");
        }
      }
    }
  }

  /**
   * Settings for the given servers with the defaults: nothing exported or imported yet, stream
   * {@value #DEFAULT_STREAM} on {@value #DEFAULT_SUBJECT_PREFIX}{@code .>}, a window of {@value
   * #DEFAULT_MAX_PENDING_ACKS}, 5 s to connect and to acknowledge, reconnection every 250 ms, 5 s
   * to drain, events kept for one hour.
   *
   * @param servers NATS URLs
   * @return the settings
   */
  public static NatsBridgeSettings of(String... servers) {
    return new NatsBridgeSettings(
        Arrays.asList(servers),
        List.of(),
        List.of(),
        DEFAULT_STREAM,
        DEFAULT_SUBJECT_PREFIX,
        DEFAULT_MAX_PENDING_ACKS,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofMillis(250),
        Duration.ofSeconds(5),
        Duration.ofHours(1));
  }

  /**
   * Returns these settings exporting the given types (replacing earlier exports).
   *
   * @param types the types whose local events go to NATS
   * @return new settings
   */
  public NatsBridgeSettings exporting(EventType... types) {
    return new NatsBridgeSettings(
        servers,
        List.of(types),
        imports,
        stream,
        subjectPrefix,
        maxPendingAcks,
        connectTimeout,
        ackTimeout,
        reconnectWait,
        drainTimeout,
        maxAge);
  }

  /**
   * Returns these settings importing the given types (replacing earlier imports).
   *
   * @param types the types whose events on NATS are published into the application
   * @return new settings
   */
  public NatsBridgeSettings importing(EventType... types) {
    return new NatsBridgeSettings(
        servers,
        exports,
        List.of(types),
        stream,
        subjectPrefix,
        maxPendingAcks,
        connectTimeout,
        ackTimeout,
        reconnectWait,
        drainTimeout,
        maxAge);
  }

  /**
   * Returns these settings with another stream and subject prefix.
   *
   * @param name the stream's name
   * @param prefix the subjects' prefix, e.g. {@code plant1.events}
   * @return new settings
   */
  public NatsBridgeSettings stream(String name, String prefix) {
    return new NatsBridgeSettings(
        servers,
        exports,
        imports,
        name,
        prefix,
        maxPendingAcks,
        connectTimeout,
        ackTimeout,
        reconnectWait,
        drainTimeout,
        maxAge);
  }

  /**
   * Returns these settings with another window of unacknowledged exported events.
   *
   * @param window 1 to 2<sup>20</sup> events
   * @return new settings
   */
  public NatsBridgeSettings maxPendingAcks(int window) {
    return new NatsBridgeSettings(
        servers,
        exports,
        imports,
        stream,
        subjectPrefix,
        window,
        connectTimeout,
        ackTimeout,
        reconnectWait,
        drainTimeout,
        maxAge);
  }

  /**
   * Returns these settings with other timeouts.
   *
   * @param connect how long the first connection may take
   * @param ack how long an exported event may wait for its acknowledgement
   * @param reconnect the pause between reconnection attempts
   * @param drain how long shutdown may spend on the events still queued
   * @return new settings
   */
  public NatsBridgeSettings timeouts(
      Duration connect, Duration ack, Duration reconnect, Duration drain) {
    return new NatsBridgeSettings(
        servers,
        exports,
        imports,
        stream,
        subjectPrefix,
        maxPendingAcks,
        connect,
        ack,
        reconnect,
        drain,
        maxAge);
  }

  /**
   * Returns the subject an event type travels on.
   *
   * @param type an event type
   * @return {@code subjectPrefix + "." + type.name()}
   */
  public String subjectOf(EventType type) {
    return subjectPrefix + "." + type.name();
  }

  private static void checkToken(String token, String what) {
    if (token.isEmpty() || !token.chars().allMatch(NatsBridgeSettings::subjectChar)) {
      throw configuration(
          what
              + " is not a NATS subject token: use a non-empty name without spaces, '.', '*' or"
              + " '>'");
    }
  }

  private static boolean subjectChar(int c) {
    return c > ' ' && c != '.' && c != '*' && c != '>' && c != 0x7f;
  }

  private static void positive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw configuration(name + " must be positive, not " + value);
    }
  }

  private static NatsException configuration(String message) {
    return new NatsException(NatsException.Kind.CONFIGURATION, message);
  }
}
