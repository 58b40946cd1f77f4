package dev.herald.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.zeromq.ZMQ;

/**
 * The engine's socket on the subscribe port. It is an XPUB: on the wire raw SUB clients see a plain
 * publisher (single-frame events, their own prefix filters applied), and the engine learns which
 * prefixes they want, so the router only hands this thread the events some TCP subscriber wants. At
 * shutdown the events already routed here are still sent, within {@link #LINGER_MS}. The thread
 * sleeps in a ZeroMQ poll on the socket and on a pipe that producers write to when its queue gets
 * an event.
 */
final class TcpOutbound implements Runnable {
  private static final int BATCH = 256;

  /** How long closing waits for raw subscribers to take the last events. */
  static final int LINGER_MS = 1_000;

  private final ZMQ.Context context;
  private final ZMQ.Socket xpub;
  private final Router router;
  private final EventQueue queue;
  private final Pipe wakeup;
  private final BooleanSupplier stopping;
  private final Set<PrefixKey> prefixes = new HashSet<>();

  private TcpOutbound(
      ZMQ.Context context,
      ZMQ.Socket xpub,
      Router router,
      int capacity,
      Pipe wakeup,
      BooleanSupplier stopping) {
    this.context = context;
    this.xpub = xpub;
    this.router = router;
    this.wakeup = wakeup;
    this.stopping = stopping;
    this.queue = new EventQueue(capacity, Overflow.BLOCK, "tcp-subscribers", this::wake);
    xpub.setLinger(LINGER_MS);
  }

  static TcpOutbound create(
      ZMQ.Context context, ZMQ.Socket xpub, Router router, int capacity, BooleanSupplier stopping) {
    try {
      Pipe pipe = Pipe.open();
      pipe.source().configureBlocking(false);
      pipe.sink().configureBlocking(false);
      return new TcpOutbound(context, xpub, router, capacity, pipe, stopping);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the wake-up pipe of the subscribe port", e);
    }
  }

  EventQueue queue() {
    return queue;
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
      while (!stopping.getAsBoolean()) {
        readSubscriptions();
        int n = queue.drain(batch);
        for (int i = 0; i < n; i++) {
          send(batch[i]);
          batch[i] = null;
        }
        if (n == 0 && queue.armWakeup()) {
          poller.poll(-1);
          drainPipe(scratch);
        }
      }
      // Events routed before the shutdown still go out; the socket's linger lets them reach the
      // subscribers before the port closes.
      int n;
      while ((n = queue.drain(batch)) > 0) {
        for (int i = 0; i < n; i++) {
          send(batch[i]);
          batch[i] = null;
        }
      }
    } finally {
      xpub.close();
      closePipe();
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
