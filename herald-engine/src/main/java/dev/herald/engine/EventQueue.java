package dev.herald.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded many-producer, single-consumer queue of routed messages ({@code byte[]} or {@link
 * Multipart}), after the JCTools MPSC array queue: producers claim a slot by CAS on the tail, the
 * consumer owns the head. A full queue either makes the producer wait ({@link Overflow#BLOCK}) or
 * drops and counts the message ({@link Overflow#DROP_NEWEST}).
 *
 * <p>Waiting is exact, not timed: an empty queue parks its consumer (or, with a custom waker, lets
 * it block elsewhere) and producers wake it; a full queue parks producers on a monitor that the
 * consumer notifies. Both hand-offs are Dekker pairs and carry a full fence on each side.
 */
final class EventQueue {
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle CONSUMER_WAITING;

  static {
    try {
      CONSUMER_WAITING =
          MethodHandles.lookup().findVarHandle(EventQueue.class, "consumerWaiting", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The counters share one array, 128 bytes apart, so producers (tail, limit) and the consumer
  // (head) do not false-share a cache line with each other or with the array header.
  private static final int TAIL = 16;
  private static final int PRODUCER_LIMIT = 32;
  private static final int HEAD = 48;
  private static final int SPINS = 64;
  private static final int YIELDS = 8;

  private final long[] counters = new long[64];
  private final Object[] slots;
  private final int mask;
  private final int capacity;
  private final Overflow overflow;
  private final String owner;
  private final Runnable waker;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicInteger producersWaiting = new AtomicInteger();
  private final Object space = new Object();
  private volatile Thread consumer;
  private volatile boolean closed;

  @SuppressWarnings("unused") // accessed through CONSUMER_WAITING
  private volatile boolean consumerWaiting;

  /**
   * Creates a queue.
   *
   * @param capacity how many messages it holds
   * @param overflow what a full queue does
   * @param owner the consumer's name, for messages and stats
   * @param waker how producers wake a waiting consumer; null parks and unparks the consumer thread
   */
  EventQueue(int capacity, Overflow overflow, String owner, Runnable waker) {
    if (capacity < 1 || capacity > (1 << 30)) {
      throw new EngineException(
          EngineException.Kind.CONFIGURATION,
          "queue capacity of " + owner + " must be 1.." + (1 << 30) + ", not " + capacity);
    }
    this.capacity = capacity;
    this.slots = new Object[Integer.highestOneBit(capacity - 1 | 1) << 1];
    this.mask = slots.length - 1;
    this.overflow = overflow;
    this.owner = owner;
    this.waker = waker != null ? waker : this::unparkConsumer;
    LONGS.setRelease(counters, PRODUCER_LIMIT, (long) capacity);
  }

  String owner() {
    return owner;
  }

  /** Names the consumer thread before it first waits, so a producer can recognise it. */
  void bindConsumer(Thread thread) {
    consumer = thread;
  }

  /**
   * Puts a message in, following the overflow policy.
   *
   * @return true if queued; false if dropped (full, {@code DROP_NEWEST}) or the queue is closed
   */
  boolean put(Object message) {
    if (offer(message)) {
      return true;
    }
    if (closed) {
      return false;
    }
    // A plugin that fills its own queue (an empty filter receives its own events) would wait for
    // itself for ever: its overflow is dropped and counted instead.
    if (overflow == Overflow.DROP_NEWEST || Thread.currentThread() == consumer) {
      dropped.incrementAndGet();
      return false;
    }
    return awaitSpace(message);
  }

  private boolean offer(Object message) {
    long limit = (long) LONGS.getVolatile(counters, PRODUCER_LIMIT);
    long tail;
    do {
      tail = (long) LONGS.getVolatile(counters, TAIL);
      if (tail >= limit) {
        limit = (long) LONGS.getVolatile(counters, HEAD) + capacity;
        if (tail >= limit) {
          return false;
        }
        // A stale, smaller limit written by a racing producer is only conservative.
        LONGS.setRelease(counters, PRODUCER_LIMIT, limit);
      }
    } while (!LONGS.compareAndSet(counters, TAIL, tail, tail + 1));
    // Release: the message (and the bytes it refers to) is visible before the slot is non-null.
    SLOTS.setRelease(slots, (int) (tail & mask), message);
    // StoreLoad: the slot store must be visible before we read consumerWaiting (Dekker pair with
    // armWakeup, which stores consumerWaiting and then fences before re-reading the slot).
    VarHandle.fullFence();
    if (consumerWaiting && CONSUMER_WAITING.compareAndSet(this, true, false)) {
      waker.run();
    }
    return true;
  }

  private boolean awaitSpace(Object message) {
    for (int i = 0; i < SPINS + YIELDS; i++) {
      if (i < SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
      if (offer(message)) {
        return true;
      }
      if (closed) {
        return false;
      }
    }
    synchronized (space) {
      // Volatile read-modify-write: a full fence before offer() re-reads the head (Dekker pair with
      // drain, which stores the head and then fences before reading producersWaiting).
      producersWaiting.incrementAndGet();
      try {
        while (!offer(message)) {
          if (closed) {
            return false;
          }
          space.wait();
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException(
            EngineException.Kind.INTERRUPTED,
            "interrupted while waiting for space in the queue of plugin " + owner);
      } finally {
        producersWaiting.decrementAndGet();
      }
    }
  }

  /**
   * Moves up to {@code into.length} messages into {@code into} without waiting. Consumer only.
   *
   * @return how many were moved
   */
  int drain(Object[] into) {
    long head = (long) LONGS.get(counters, HEAD);
    int n = 0;
    while (n < into.length) {
      int index = (int) ((head + n) & mask);
      // Acquire: pairs with the producer's release, so the message's contents are visible.
      Object message = SLOTS.getAcquire(slots, index);
      if (message == null) {
        break;
      }
      SLOTS.set(slots, index, null);
      into[n++] = message;
    }
    if (n > 0) {
      // Volatile store: the nulled slots are visible before producers see the space, and it orders
      // the head store before the read of producersWaiting (Dekker pair with awaitSpace).
      LONGS.setVolatile(counters, HEAD, head + n);
      if (producersWaiting.get() > 0) {
        synchronized (space) {
          space.notifyAll();
        }
      }
    }
    return n;
  }

  /**
   * Waits until at least one message is available and moves up to {@code into.length} of them.
   * Consumer only.
   *
   * @return how many were moved, or -1 if the queue is closed
   */
  int take(Object[] into) {
    int n = drain(into);
    for (int i = 0; n == 0 && i < SPINS; i++) {
      Thread.onSpinWait();
      n = drain(into);
    }
    if (n > 0) {
      return n;
    }
    consumer = Thread.currentThread();
    while (true) {
      if (closed) {
        return -1;
      }
      if (!armWakeup()) {
        n = drain(into);
        if (n > 0) {
          return n;
        }
        continue;
      }
      LockSupport.park(this);
      if (Thread.interrupted()) {
        consumerWaiting = false;
        Thread.currentThread().interrupt();
        throw new EngineException(
            EngineException.Kind.INTERRUPTED,
            "interrupted while plugin " + owner + " waited for an event");
      }
    }
  }

  /**
   * Asks producers to wake the consumer at the next message. Consumer only.
   *
   * @return true if the queue is still empty (the consumer may block until woken); false if a
   *     message arrived meanwhile (the request is withdrawn)
   */
  boolean armWakeup() {
    consumerWaiting = true;
    // StoreLoad: the flag must be visible before we re-read the slot (Dekker pair with offer).
    VarHandle.fullFence();
    long head = (long) LONGS.get(counters, HEAD);
    if (SLOTS.getVolatile(slots, (int) (head & mask)) != null || closed) {
      consumerWaiting = false;
      return false;
    }
    return true;
  }

  private void unparkConsumer() {
    Thread thread = consumer;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /** Closes the queue: the consumer and waiting producers return, later puts are discarded. */
  void close() {
    closed = true;
    waker.run();
    synchronized (space) {
      space.notifyAll();
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Whether every slot producers have claimed was taken. A claimed slot not yet written counts as
   * queued, so a consumer draining until this is true misses no put that got a slot.
   */
  boolean isEmpty() {
    return (long) LONGS.getVolatile(counters, HEAD) == (long) LONGS.getVolatile(counters, TAIL);
  }

  QueueStats stats(boolean external) {
    long tail = (long) LONGS.getVolatile(counters, TAIL);
    long head = (long) LONGS.getVolatile(counters, HEAD);
    return new QueueStats(
        owner, external, capacity, overflow, tail, dropped.get(), (int) Math.max(0, tail - head));
  }
}
