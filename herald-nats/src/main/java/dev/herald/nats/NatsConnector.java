package dev.herald.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Connects to NATS the way the ring bridges need: every given server is tried at start, and the
 * whole attempt fails within {@link #START_BUDGET} with one clear message instead of hanging; once
 * connected, the connection reconnects for ever (the bridges retry through an outage and show it in
 * their rates). The client's own error log is silenced: the bridges report what matters.
 *
 * <pre>{@code
 * try (Connection nc = NatsConnector.connect(List.of("nats://10.0.0.5:4222"), "ring export")) {
 *   ...
 * }
 * }</pre>
 */
public final class NatsConnector {
  /** The most a failed start may take, whatever the number of servers. */
  public static final Duration START_BUDGET = Duration.ofSeconds(8);

  /**
   * How often a connection pings its server. jnats 2.24 can leave its writer stalled after a
   * reconnection (nats.java#1522); pings that go unanswered {@link #MAX_PINGS_OUT} times replace
   * such a connection within seconds instead of the default minutes.
   */
  static final Duration PING_INTERVAL = Duration.ofSeconds(2);

  /** Unanswered pings after which a connection counts as broken and reconnects. */
  static final int MAX_PINGS_OUT = 3;

  private static final Pattern URL =
      Pattern.compile("((nats|tls|ws|wss)://)?([^\\s/:@]+@)?[A-Za-z0-9_.\\-\\[\\]:]+(:\\d{1,5})?");

  private NatsConnector() {}

  /**
   * Connects to the first server that answers.
   *
   * @param urls server URLs, {@code nats://host:port} (or {@code host:port})
   * @param name the connection name servers show for it, e.g. {@code herald ring export}
   * @return the connection, which reconnects by itself
   * @throws NatsException of kind {@link NatsException.Kind#CONFIGURATION} for a malformed URL, or
   *     {@link NatsException.Kind#UNREACHABLE} if no server answered in time
   */
  public static Connection connect(List<String> urls, String name) {
    if (urls.isEmpty()) {
      throw new NatsException(NatsException.Kind.CONFIGURATION, "no NATS server URL given");
    }
    for (String url : urls) {
      if (!URL.matcher(url).matches()) {
        throw new NatsException(
            NatsException.Kind.CONFIGURATION,
            "'" + url + "' is not a NATS server URL (nats://HOST:PORT)");
      }
    }
    Duration perServer = START_BUDGET.dividedBy(urls.size());
    if (perServer.compareTo(Duration.ofMillis(500)) < 0) {
      perServer = Duration.ofMillis(500);
    }
    Options options =
        new Options.Builder()
            .servers(urls.toArray(String[]::new))
            .connectionName(name)
            .connectionTimeout(perServer)
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(250))
            .pingInterval(PING_INTERVAL)
            .maxPingsOut(MAX_PINGS_OUT)
            .requestCleanupInterval(Duration.ofSeconds(1)) // a lost ack fails in seconds
            .errorListener(new ErrorListener() {})
            .build();
    try {
      return Nats.connect(options);
    } catch (IOException e) {
      throw new NatsException(
          NatsException.Kind.UNREACHABLE,
          "no NATS server answered at "
              + String.join(",", urls)
              + " ("
              + e.getMessage()
              + "); check the URLs and that nats-server runs with JetStream (-js)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsException(
          NatsException.Kind.INTERRUPTED, "interrupted while connecting to NATS", e);
    }
  }
}
