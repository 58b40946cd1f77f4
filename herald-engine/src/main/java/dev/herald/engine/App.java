package dev.herald.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An application: a set of plugins and the engine that connects them. Internal plugins exchange
 * events in-process; the TCP edges are wire-compatible with Tapis event-engine: raw ZeroMQ
 * publishers connect a PUB to the publish port, raw subscribers connect a SUB to the subscribe
 * port, and each external plugin's process connects a REQ to its own port.
 *
 * <pre>{@code
 * try (App app = new App(5559, 5560)
 *     .registerPlugin(new MsgProducerPlugin())
 *     .registerPlugin(new CounterPlugin())
 *     .registerExternalPlugin(ExternalPlugin.of("py_plugin", 6000, TypeA, TypeB))) {
 *   app.run(); // returns when every plugin has finished, or after close() from another thread
 * }
 * }</pre>
 *
 * <p>TCP ports bind to 127.0.0.1 unless {@link #bindAllInterfaces()} is called. Internal plugin
 * queues hold {@value #DEFAULT_QUEUE_CAPACITY} events and make publishers wait when full; external
 * plugin queues hold {@value #DEFAULT_EXTERNAL_QUEUE_LIMIT} events and drop (and count) later ones,
 * as upstream's ZeroMQ high-water marks do. {@link #run()} runs once; build a new {@code App} to
 * run again (ports are released when {@code run} returns).
 */
public final class App implements AutoCloseable {
  /** Upstream's default publish port. */
  public static final int DEFAULT_PUBLISH_PORT = 5559;

  /** Upstream's default subscribe port. */
  public static final int DEFAULT_SUBSCRIBE_PORT = 5560;

  /** Default capacity of an internal plugin's queue. */
  public static final int DEFAULT_QUEUE_CAPACITY = 16_384;

  /** Default capacity of an external plugin's queue: upstream's 1000 + 1000 high-water marks. */
  public static final int DEFAULT_EXTERNAL_QUEUE_LIMIT = 2_000;

  /**
   * Default time the subscribe port lingers at shutdown for raw subscribers to take the last
   * events.
   */
  public static final Duration DEFAULT_SUBSCRIBER_LINGER = Duration.ofSeconds(1);

  /** The address TCP ports bind to by default. */
  public static final String LOOPBACK = "127.0.0.1";

  private final int publishPort;
  private final int subscribePort;
  private final List<Plugin> plugins = new ArrayList<>();
  private final List<ExternalPlugin> externals = new ArrayList<>();
  private String bindHost = LOOPBACK;
  private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
  private Overflow overflow = Overflow.BLOCK;
  private int externalQueueLimit = DEFAULT_EXTERNAL_QUEUE_LIMIT;
  private Overflow externalOverflow = Overflow.DROP_NEWEST;
  private int tcpSubscriberQueueCapacity = DEFAULT_QUEUE_CAPACITY;
  private Duration subscriberLinger = DEFAULT_SUBSCRIBER_LINGER;
  private Engine engine;
  private boolean closed;

  /** An application on upstream's default ports 5559 (publish) and 5560 (subscribe). */
  public App() {
    this(DEFAULT_PUBLISH_PORT, DEFAULT_SUBSCRIBE_PORT);
  }

  /**
   * An application on the given ports, named from the external client's point of view.
   *
   * @param publishPort where outside processes publish (the engine's SUB binds here)
   * @param subscribePort where outside processes subscribe (the engine's PUB binds here)
   */
  public App(int publishPort, int subscribePort) {
    this.publishPort = checkPort(publishPort, "publish port");
    this.subscribePort = checkPort(subscribePort, "subscribe port");
  }

  /**
   * Adds an internal plugin.
   *
   * @param plugin the plugin
   * @return this app
   */
  public synchronized App registerPlugin(Plugin plugin) {
    checkNew();
    plugins.add(plugin);
    return this;
  }

  /**
   * Adds internal plugins.
   *
   * @param all the plugins, in order
   * @return this app
   */
  public synchronized App registerPlugins(Collection<? extends Plugin> all) {
    checkNew();
    plugins.addAll(all);
    return this;
  }

  /**
   * Adds an external plugin.
   *
   * @param plugin the plugin
   * @return this app
   */
  public synchronized App registerExternalPlugin(ExternalPlugin plugin) {
    checkNew();
    checkPort(plugin.tcpPort(), "port of external plugin '" + plugin.name() + "'");
    externals.add(plugin);
    return this;
  }

  /**
   * Adds external plugins.
   *
   * @param all the plugins, in order
   * @return this app
   */
  public synchronized App registerExternalPlugins(Collection<? extends ExternalPlugin> all) {
    all.forEach(this::registerExternalPlugin);
    return this;
  }

  /**
   * Binds the TCP ports on every interface ({@code *}), as upstream does. Anyone who can reach the
   * machine can then publish and subscribe: there is no authentication.
   *
   * @return this app
   */
  public synchronized App bindAllInterfaces() {
    return bindAddress("*");
  }

  /**
   * Binds the TCP ports on one address ({@code 127.0.0.1} by default).
   *
   * @param host an IP address, an interface name, or {@code *}
   * @return this app
   */
  public synchronized App bindAddress(String host) {
    checkNew();
    this.bindHost = host;
    return this;
  }

  /**
   * Sets the capacity of each internal plugin's queue.
   *
   * @param capacity events per queue, at least 1
   * @return this app
   */
  public synchronized App queueCapacity(int capacity) {
    checkNew();
    this.queueCapacity = checkCapacity(capacity);
    return this;
  }

  /**
   * Sets what a full internal plugin queue does ({@link Overflow#BLOCK} by default).
   *
   * @param policy the policy
   * @return this app
   */
  public synchronized App overflow(Overflow policy) {
    checkNew();
    this.overflow = policy;
    return this;
  }

  /**
   * Sets the capacity of each external plugin's queue ({@value #DEFAULT_EXTERNAL_QUEUE_LIMIT}).
   *
   * @param limit events per queue, at least 1
   * @return this app
   */
  public synchronized App externalQueueLimit(int limit) {
    checkNew();
    this.externalQueueLimit = checkCapacity(limit);
    return this;
  }

  /**
   * Sets what a full external plugin queue does ({@link Overflow#DROP_NEWEST} by default, so a dead
   * or slow process never stalls the application).
   *
   * @param policy the policy
   * @return this app
   */
  public synchronized App externalOverflow(Overflow policy) {
    checkNew();
    this.externalOverflow = policy;
    return this;
  }

  /**
   * Sets how long shutdown may wait for raw TCP subscribers to take the events still on their way
   * ({@link #DEFAULT_SUBSCRIBER_LINGER} by default). Every event published before the application
   * ended is handed to the subscribe port's socket first; this bounds only the wait for slow or
   * gone subscribers, after which the port closes and what they have not taken is lost.
   *
   * <pre>{@code
   * new App(5559, 5560).subscriberLinger(Duration.ofMillis(200));   // close sooner
   * }</pre>
   *
   * @param linger zero (close at once) up to {@link Integer#MAX_VALUE} milliseconds
   * @return this app
   */
  public synchronized App subscriberLinger(Duration linger) {
    checkNew();
    if (linger.isNegative() || linger.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new EngineException(
          EngineException.Kind.CONFIGURATION,
          "the subscriber linger must be 0.." + Integer.MAX_VALUE + " ms, not " + linger);
    }
    this.subscriberLinger = linger;
    return this;
  }

  /**
   * Returns the publish port.
   *
   * @return the port outside publishers connect to
   */
  public int publishPort() {
    return publishPort;
  }

  /**
   * Returns the subscribe port.
   *
   * @return the port outside subscribers connect to
   */
  public int subscribePort() {
    return subscribePort;
  }

  /**
   * Runs the application: binds every port (failing at once, naming the port, if one is taken),
   * puts every plugin's subscriptions in place, starts every plugin, and waits. Returns when every
   * plugin has finished (external plugins finish on {@code plugin_command: quit}) or after {@link
   * #close()}; every thread has then stopped and every port is released. Every event published
   * before then was sent to the raw subscribers that wanted it; the subscribe port closed after
   * they took it or after the {@linkplain #subscriberLinger(Duration) linger}.
   *
   * @throws EngineException {@code PORT_IN_USE} or {@code SOCKET} if a port cannot be bound, {@code
   *     PLUGIN_SETUP} if a plugin's subscriptions fail, {@code PLUGIN_FAILED} if a plugin threw
   *     (after the others were stopped), {@code CONFIGURATION} if run twice or ids or ports clash
   */
  public void run() {
    Engine running;
    synchronized (this) {
      if (closed || engine != null) {
        throw new EngineException(
            EngineException.Kind.CONFIGURATION,
            "this App has already run or is closed; build a new App to run again");
      }
      running =
          new Engine(
              new EngineSettings(
                  publishPort,
                  subscribePort,
                  bindHost,
                  queueCapacity,
                  overflow,
                  externalQueueLimit,
                  externalOverflow,
                  tcpSubscriberQueueCapacity,
                  (int) subscriberLinger.toMillis()),
              plugins,
              externals);
      engine = running;
    }
    running.run();
  }

  /**
   * Stops a running application from any thread: every plugin is interrupted and its inbox closed,
   * external plugins' sockets close, events already published are still sent to raw subscribers
   * (within the {@linkplain #subscriberLinger(Duration) linger}), and this returns once every port
   * is released. {@link #run()} then returns normally. Closing an app that has not run just
   * prevents it from running.
   */
  @Override
  public void close() {
    Engine running;
    synchronized (this) {
      closed = true;
      running = engine;
    }
    if (running != null) {
      running.stop();
    }
  }

  /**
   * Returns the counters of every plugin's queue (internal first, then external, in registration
   * order); empty before {@link #run()}. Still valid after {@code run} returns.
   *
   * @return one entry per plugin
   */
  public List<QueueStats> queueStats() {
    Engine running;
    synchronized (this) {
      running = engine;
    }
    return running == null ? List.of() : running.stats();
  }

  /**
   * Returns how many events were dropped in all, across every plugin's queue.
   *
   * @return the total
   */
  public long droppedEvents() {
    return queueStats().stream().mapToLong(QueueStats::dropped).sum();
  }

  private void checkNew() {
    if (closed || engine != null) {
      throw new EngineException(
          EngineException.Kind.CONFIGURATION,
          "this App has already run or is closed and can no longer be changed");
    }
  }

  private static int checkPort(int port, String role) {
    if (port < 1 || port > 65_535) {
      throw new EngineException(
          EngineException.Kind.CONFIGURATION, role + " must be 1..65535, not " + port);
    }
    return port;
  }

  private static int checkCapacity(int capacity) {
    if (capacity < 1 || capacity > (1 << 30)) {
      throw new EngineException(
          EngineException.Kind.CONFIGURATION,
          "a queue capacity must be 1.." + (1 << 30) + ", not " + capacity);
    }
    return capacity;
  }
}
