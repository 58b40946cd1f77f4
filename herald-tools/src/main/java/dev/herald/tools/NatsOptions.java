package dev.herald.tools;

import dev.herald.nats.NatsConnector;
import io.nats.client.Connection;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that say where NATS is and which stream to use ({@code ring export|import}). */
final class NatsOptions {
  @Option(
      names = "--nats",
      required = true,
      split = ",",
      paramLabel = "URL",
      description = "NATS server URLs, comma-separated (nats://HOST:PORT).")
  List<String> urls;

  @Option(names = "--stream", required = true, description = "The JetStream stream's name.")
  String stream;

  /** Connects, failing within seconds with one clear line when no server answers. */
  Connection connect(String name) {
    return NatsConnector.connect(urls, name);
  }

  /** Closes a connection; a stop signal's interrupt does not make it fail. */
  static void close(Connection nc) {
    boolean interrupted = Thread.interrupted();
    try {
      nc.close();
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
