package dev.herald.engine;

import java.nio.channels.ClosedSelectorException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.zeromq.SocketType;
import org.zeromq.UncheckedZMQException;
import org.zeromq.ZMQ;
import zmq.ZError;

/**
 * One run of an {@link App}: binds the TCP edges, builds every plugin's queue and route (the
 * start-up barrier: all subscriptions exist before any plugin starts), runs the threads, and on the
 * way out stops every thread and releases every port.
 */
final class Engine {
  private final EngineSettings settings;
  private final List<Plugin> plugins;
  private final List<ExternalPlugin> externals;
  private final Router router = new Router();
  private final LinkedBlockingQueue<PluginOutcome> outcomes = new LinkedBlockingQueue<>();
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<EventQueue> pluginQueues = new ArrayList<>();
  private final List<Boolean> pluginQueueExternal = new ArrayList<>();
  private final List<Thread> pluginThreads = new ArrayList<>();
  private final List<Thread> edgeThreads = new ArrayList<>();
  private volatile boolean stopping;
  private ZMQ.Context context;
  private TcpOutbound outbound;
  private Thread outboundThread;

  Engine(EngineSettings settings, List<Plugin> plugins, List<ExternalPlugin> externals) {
    this.settings = settings;
    this.plugins = List.copyOf(plugins);
    this.externals = List.copyOf(externals);
  }

  boolean stopping() {
    return stopping;
  }

  List<QueueStats> stats() {
    synchronized (pluginQueues) {
      List<QueueStats> all = new ArrayList<>(pluginQueues.size());
      for (int i = 0; i < pluginQueues.size(); i++) {
        all.add(pluginQueues.get(i).stats(pluginQueueExternal.get(i)));
      }
      return all;
    }
  }

  /** Runs until every plugin has finished or {@link #stop()} is called. */
  void run() {
    checkIdentities();
    List<List<EventType>> internalSubscriptions = subscriptionsOf(plugins);
    List<List<EventType>> externalSubscriptions = subscriptionsOfExternals();
    synchronized (this) {
      if (stopping) {
        released.countDown();
        return;
      }
      start(internalSubscriptions, externalSubscriptions);
    }
    awaitPlugins();
  }

  private void start(
      List<List<EventType>> internalSubscriptions, List<List<EventType>> externalSubscriptions) {
    context = ZMQ.context(1);
    List<ZMQ.Socket> reps = new ArrayList<>();
    ZMQ.Socket xpub = null;
    ZMQ.Socket sub = null;
    try {
      // Subscribe port first, as upstream: a clash there is reported first.
      xpub =
          bind(
              SocketType.XPUB,
              settings.subscribePort(),
              "subscribe port",
              socket -> TcpOutbound.configure(socket, settings));
      sub = bind(SocketType.SUB, settings.publishPort(), "publish port", socket -> {});
      sub.subscribe(new byte[0]);
      for (ExternalPlugin external : externals) {
        reps.add(
            bind(
                SocketType.REP,
                external.tcpPort(),
                "command port of external plugin '" + external.name() + "',",
                socket -> {}));
      }
    } catch (RuntimeException e) {
      for (ZMQ.Socket socket : reps) {
        socket.close();
      }
      if (sub != null) {
        sub.close();
      }
      if (xpub != null) {
        xpub.close();
      }
      context.close();
      context = null;
      shutdownStarted.set(true);
      released.countDown();
      throw e;
    }

    // The barrier: every queue and route exists before any thread runs.
    Publisher publisher = new Publisher(router, this::stopping);
    List<Inbox> internalInboxes = new ArrayList<>();
    for (int i = 0; i < plugins.size(); i++) {
      internalInboxes.add(
          inboxFor(
              plugins.get(i).name(),
              internalSubscriptions.get(i),
              settings.queueCapacity(),
              settings.overflow(),
              false,
              64));
    }
    List<Inbox> externalInboxes = new ArrayList<>();
    for (int i = 0; i < externals.size(); i++) {
      externalInboxes.add(
          inboxFor(
              externals.get(i).name(),
              externalSubscriptions.get(i),
              settings.externalQueueLimit(),
              settings.externalOverflow(),
              true,
              1));
    }
    outbound = TcpOutbound.create(context, xpub, router, settings.tcpSubscriberQueueCapacity());

    outboundThread = edgeThread("herald-engine-subscribe-" + settings.subscribePort(), outbound);
    edgeThreads.add(outboundThread);
    edgeThreads.add(
        edgeThread("herald-engine-publish-" + settings.publishPort(), new TcpInbound(sub, router)));
    for (int i = 0; i < plugins.size(); i++) {
      Plugin plugin = plugins.get(i);
      Inbox inbox = internalInboxes.get(i);
      EventQueue queue = pluginQueues.get(i);
      pluginThreads.add(
          pluginThread(plugin.name(), queue, () -> plugin.start(publisher, inbox), null));
    }
    for (int i = 0; i < externals.size(); i++) {
      ZMQ.Socket rep = reps.get(i);
      ExternalPluginLoop loop = new ExternalPluginLoop(rep, externalInboxes.get(i), publisher);
      pluginThreads.add(
          pluginThread(
              externals.get(i).name(), pluginQueues.get(plugins.size() + i), loop::run, rep));
    }
    edgeThreads.forEach(Thread::start);
    pluginThreads.forEach(Thread::start);
  }

  private void awaitPlugins() {
    int remaining = pluginThreads.size();
    EngineException failure = null;
    try {
      while (remaining > 0) {
        PluginOutcome outcome = outcomes.take();
        if (outcome.plugin()) {
          remaining--;
        }
        Throwable error = outcome.failure();
        // Once stopping, sockets and inboxes fail by design: only a plugin's own error counts.
        if (error == null || (stopping && (!outcome.plugin() || causedByShutdown(error)))) {
          continue;
        }
        if (failure == null) {
          failure =
              new EngineException(
                  EngineException.Kind.PLUGIN_FAILED,
                  (outcome.plugin() ? "plugin '" : "engine thread '")
                      + outcome.who()
                      + "' failed: "
                      + error
                      + "; the other plugins were stopped",
                  error);
          stop();
        } else {
          failure.addSuppressed(error);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure =
          new EngineException(
              EngineException.Kind.INTERRUPTED, "interrupted while running the application", e);
    } finally {
      stop();
      joinAll(pluginThreads);
      joinAll(edgeThreads);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static boolean causedByShutdown(Throwable error) {
    return error instanceof InterruptedException
        || error instanceof UncheckedZMQException
        || error instanceof ZError.CtxTerminatedException
        || error instanceof ClosedSelectorException
        || (error instanceof EngineException e
            && (e.kind() == EngineException.Kind.CLOSED
                || e.kind() == EngineException.Kind.INTERRUPTED));
  }

  /**
   * Stops every thread and releases every port; returns once the ports are free. Safe from any
   * thread, any number of times.
   */
  void stop() {
    if (!shutdownStarted.compareAndSet(false, true)) {
      awaitReleased();
      return;
    }
    ZMQ.Context running;
    TcpOutbound draining;
    Thread drainer;
    synchronized (this) {
      stopping = true;
      synchronized (pluginQueues) {
        pluginQueues.forEach(EventQueue::close);
      }
      for (Thread thread : pluginThreads) {
        // A plugin closing its own app is not interrupted: it sees CLOSED at its next call instead,
        // and the context's termination below must not be cut short by its interrupt.
        if (thread != Thread.currentThread()) {
          thread.interrupt();
        }
      }
      running = context;
      draining = outbound;
      drainer = outboundThread;
    }
    try {
      // Every event published before now is in the subscribe port's queue or already sent: let
      // its thread send the rest and close the socket (lingering) before the context goes, as
      // sends on a terminating context fail. It never blocks: an XPUB drops for a full peer.
      if (draining != null) {
        draining.finish();
        joinAll(List.of(drainer));
      }
      // Terminating the context fails every other blocking ZeroMQ call with ETERM; each thread
      // then closes its own socket, and term() returns once all are closed and the subscribe
      // port's linger is over, so the ports are free.
      if (running != null) {
        running.close();
      }
    } finally {
      released.countDown();
    }
  }

  private void awaitReleased() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Inbox inboxFor(
      String name,
      List<EventType> subscriptions,
      int capacity,
      Overflow overflow,
      boolean external,
      int batch) {
    EventQueue queue = new EventQueue(capacity, overflow, name, null);
    synchronized (pluginQueues) {
      pluginQueues.add(queue);
      pluginQueueExternal.add(external);
    }
    router.setFilters(
        queue, subscriptions.stream().map(EventType::filterBytes).toArray(byte[][]::new));
    return new Inbox(queue, batch);
  }

  private Thread pluginThread(String name, EventQueue queue, Body body, ZMQ.Socket owned) {
    return Thread.ofPlatform()
        .name(name)
        .unstarted(
            () -> {
              Throwable failure = null;
              queue.bindConsumer(Thread.currentThread());
              try {
                body.run();
              } catch (Throwable t) {
                failure = t;
              } finally {
                // A finished plugin receives nothing more: publishers never wait on its queue.
                router.remove(queue);
                queue.close();
                if (owned != null) {
                  owned.close();
                }
                outcomes.add(new PluginOutcome(name, true, failure));
              }
            });
  }

  private Thread edgeThread(String name, Runnable body) {
    return Thread.ofPlatform()
        .name(name)
        .daemon(true)
        .unstarted(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                outcomes.add(new PluginOutcome(name, false, t));
              }
            });
  }

  private ZMQ.Socket bind(SocketType type, int port, String role, Consumer<ZMQ.Socket> options) {
    return TcpSockets.bind(context, type, settings.bindHost(), port, role, options);
  }

  private void checkIdentities() {
    Set<Object> ids = new HashSet<>();
    Set<Integer> ports = new HashSet<>(List.of(settings.publishPort(), settings.subscribePort()));
    if (ports.size() < 2) {
      throw configuration("the publish and subscribe ports are both " + settings.publishPort());
    }
    for (Plugin plugin : plugins) {
      if (!ids.add(plugin.id())) {
        throw configuration(
            "two plugins share the id " + plugin.id() + " ('" + plugin.name() + "')");
      }
    }
    for (ExternalPlugin external : externals) {
      if (!ids.add(external.id())) {
        throw configuration(
            "two plugins share the id " + external.id() + " ('" + external.name() + "')");
      }
      if (!ports.add(external.tcpPort())) {
        throw configuration(
            "external plugin '"
                + external.name()
                + "' uses port "
                + external.tcpPort()
                + ", which another socket of this application uses");
      }
    }
  }

  private static EngineException configuration(String message) {
    return new EngineException(EngineException.Kind.CONFIGURATION, message + "; fix the App setup");
  }

  private static List<List<EventType>> subscriptionsOf(List<Plugin> plugins) {
    List<List<EventType>> all = new ArrayList<>();
    for (Plugin plugin : plugins) {
      all.add(subscriptions(plugin.name(), plugin::subscriptions));
    }
    return all;
  }

  private List<List<EventType>> subscriptionsOfExternals() {
    List<List<EventType>> all = new ArrayList<>();
    for (ExternalPlugin external : externals) {
      all.add(subscriptions(external.name(), external::subscriptions));
    }
    return all;
  }

  private static List<EventType> subscriptions(String name, Supplier<List<EventType>> source) {
    try {
      return List.copyOf(source.get());
    } catch (RuntimeException e) {
      throw new EngineException(
          EngineException.Kind.PLUGIN_SETUP,
          "subscriptions() of plugin '" + name + "' failed: " + e + "; no plugin was started",
          e);
    }
  }

  private static void joinAll(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A plugin body that may throw anything. */
  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }
}
