package dev.herald.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.HashSet;
import java.util.Set;
import org.zeromq.ZMQ;

/**
 * The engine's socket on the subscribe port. It is an XPUB: on the wire raw SUB clients see a plain
 * publisher (single-frame events, their own prefix filters applied), and the engine learns which
 * prefixes they want, so the router only hands this thread the events some TCP subscriber wants.
 * The thread sleeps in a ZeroMQ poll on the socket and on a pipe that producers write to when its
 * queue gets an event.
 *
 * <p>Shutdown ({@link #finish()}) loses nothing that was routed here: the thread stops taking new
 * routes, sends everything still queued, and only then closes the socket, whose linger lets the
 * subscribers take the last events before the context is terminated.
 */
final class TcpOutbound implements Runnable {
  private static final int BATCH = 256;

  private final ZMQ.Context context;
  private final ZMQ.Socket xpub;
  private final Router router;
  private final EventQueue queue;
  private final Pipe wakeup;
  private final Set<PrefixKey> prefixes = new HashSet<>();
  private volatile boolean finishing;

  private TcpOutbound(
      ZMQ.Context context, ZMQ.Socket xpub, Router router, int capacity, Pipe wakeup) {
    this.context = context;
    this.xpub = xpub;
    this.router = router;
    this.wakeup = wakeup;
    this.queue = new EventQueue(capacity, Overflow.BLOCK, "tcp-subscribers", this::wake);
  }

  /**
   * Sets the XPUB's options; called before the bind, so that every subscriber's connection has
   * them. Each subscriber's pipe holds as many events as this thread's queue, so a subscriber that
   * keeps reading takes a whole burst; one that falls further behind loses events, as from
   * upstream's PUB. Closing lingers for the configured time so the last events reach the
   * subscribers.
   */
  static void configure(ZMQ.Socket xpub, EngineSettings settings) {
    xpub.setSndHWM(settings.tcpSubscriberQueueCapacity());
    xpub.setLinger(settings.subscriberLingerMs());
  }

  /**
   * Creates the edge on a bound XPUB.
   *
   * @param capacity events queued for the thread before publishers wait
   */
  static TcpOutbound create(ZMQ.Context context, ZMQ.Socket xpub, Router router, int capacity) {
    try {
      Pipe pipe = Pipe.open();
      pipe.source().configureBlocking(false);
      pipe.sink().configureBlocking(false);
      return new TcpOutbound(context, xpub, router, capacity, pipe);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the wake-up pipe of the subscribe port", e);
    }
  }

  /**
   * Asks the thread to send what is queued, close the socket (lingering) and end. Join the thread
   * before terminating the context: a terminated context fails the remaining sends.
   */
  void finish() {
    finishing = true;
    wake();
  }

  /** Wakes the thread; producers call it when the queue gets its first event. */
  void wake() {
    try {
      wakeup.sink().write(ByteBuffer.wrap(new byte[] {1}));
    } catch (IOException e) {
      // Closed at shutdown, or full: either way the thread is (or will be) awake.
    }
  }

  @Override
  public void run() {
    Object[] batch = new Object[BATCH];
    ByteBuffer scratch = ByteBuffer.allocate(64);
    try (ZMQ.Poller poller = context.poller(2)) {
      poller.register(xpub, ZMQ.Poller.POLLIN);
      poller.register(wakeup.source(), ZMQ.Poller.POLLIN);
      while (!finishing) {
        readSubscriptions();
        int n = sendQueued(batch);
        if (n == 0 && queue.armWakeup()) {
          poller.poll(-1);
          drainPipe(scratch);
        }
      }
      // No new routes to this queue; what is queued or being put by a publish already under way
      // still goes out. Closing the queue then releases any publisher still waiting for space.
      router.remove(queue);
      sendUntilEmpty(batch);
      queue.close();
      sendUntilEmpty(batch);
    } finally {
      // Also after a failure: nobody may route to, or wait on, a queue that is no longer drained.
      router.remove(queue);
      queue.close();
      // The linger lets the subscribers take what was just sent before the port closes.
      xpub.close();
      closePipe();
    }
  }

  private int sendQueued(Object[] batch) {
    int n = queue.drain(batch);
    for (int i = 0; i < n; i++) {
      send(batch[i]);
      batch[i] = null;
    }
    return n;
  }

  /** Sends until every claimed slot was sent, waiting for publishers that are mid-put. */
  private void sendUntilEmpty(Object[] batch) {
    while (sendQueued(batch) > 0 || !queue.isEmpty()) {
      Thread.onSpinWait();
    }
  }

  private void send(Object message) {
    if (message instanceof byte[] single) {
      xpub.send(single, 0);
      return;
    }
    byte[][] frames = ((Multipart) message).frames();
    for (int i = 0; i < frames.length; i++) {
      xpub.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
    }
  }

  /** XPUB reports each new prefix ({@code 1 ++ prefix}) and each prefix nobody wants any more. */
  private void readSubscriptions() {
    boolean changed = false;
    byte[] message;
    while ((message = xpub.recv(ZMQ.DONTWAIT)) != null) {
      if (message.length == 0) {
        continue;
      }
      PrefixKey key = PrefixKey.of(message, 1);
      changed |= message[0] == 1 ? prefixes.add(key) : prefixes.remove(key);
    }
    if (changed) {
      router.setFilters(queue, prefixes.stream().map(PrefixKey::bytes).toArray(byte[][]::new));
    }
  }

  private void drainPipe(ByteBuffer scratch) {
    try {
      do {
        scratch.clear();
      } while (wakeup.source().read(scratch) > 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the wake-up pipe of the subscribe port", e);
    }
  }

  private void closePipe() {
    try {
      wakeup.sink().close();
      wakeup.source().close();
    } catch (IOException e) {
      // Nothing to release beyond what close already did.
    }
  }
}
