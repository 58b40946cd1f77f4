package dev.herald.nats;

import java.time.Duration;

/**
 * The JetStream stream a ring is exported to: its name, the subject the exporter publishes on, and
 * the replicas it is created with when absent (file storage, a duplicate window of {@link
 * #DUPLICATE_WINDOW}).
 *
 * <pre>{@code
 * StreamSpec spec = StreamSpec.of("orders");            // subject herald.ring.orders, 1 replica
 * StreamSpec r3 = new StreamSpec("orders", "ring.orders", 3);
 * }</pre>
 *
 * @param name the stream name (letters, digits, {@code -} and {@code _})
 * @param subject the subject events are published on (no wildcards)
 * @param replicas how many servers keep the stream when it is created, 1 to 5
 */
public record StreamSpec(String name, String subject, int replicas) {
  /**
   * How long JetStream remembers a {@code Nats-Msg-Id}: longer than any retry or restart the
   * exporter makes while it resumes, so a republished event is dropped, not stored twice.
   */
  public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);

  /**
   * Checks the names.
   *
   * @throws NatsException of kind {@link NatsException.Kind#CONFIGURATION} for a name NATS refuses
   */
  public StreamSpec {
    if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
      throw new NatsException(
          NatsException.Kind.CONFIGURATION,
          "stream name '"
              + name
              + "' is not valid: use letters, digits, '-' and '_' (no dots, spaces or wildcards)");
    }
    if (subject == null
        || subject.isEmpty()
        || subject.contains(" ")
        || subject.contains("*")
        || subject.contains(">")
        || subject.startsWith(".")
        || subject.endsWith(".")
        || subject.contains("..")) {
      throw new NatsException(
          NatsException.Kind.CONFIGURATION,
          "subject '" + subject + "' is not valid: dot-separated tokens, no spaces or wildcards");
    }
    if (replicas < 1 || replicas > 5) {
      throw new NatsException(
          NatsException.Kind.CONFIGURATION,
          "replicas " + replicas + " is out of range: JetStream keeps 1 to 5 copies");
    }
  }

  /**
   * A one-replica stream on the default subject {@code herald.ring.NAME}.
   *
   * @param name the stream name
   * @return the spec
   */
  public static StreamSpec of(String name) {
    return new StreamSpec(name, defaultSubject(name), 1);
  }

  /**
   * The subject a stream's ring is published on unless another is given.
   *
   * @param name the stream name
   * @return {@code herald.ring.NAME}
   */
  public static String defaultSubject(String name) {
    return "herald.ring." + name;
  }
}
