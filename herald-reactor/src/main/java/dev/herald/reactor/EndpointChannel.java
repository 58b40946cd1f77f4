package dev.herald.reactor;

import dev.herald.os.EventFd;
import dev.herald.os.OsException;
import dev.herald.os.internal.Epoll;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The manager's side of the remote endpoint: a lock-free MPSC queue of closures plus the eventfd
 * that wakes the loop (send first, then write, as upstream).
 *
 * <p>Wake-ups are coalesced (not in upstream, which writes the eventfd once per closure): a sender
 * writes the eventfd only when no wake-up is pending, so a burst of N closures costs one write and
 * one read, not N. The drain resets the eventfd, then clears the pending flag, then polls the
 * queue; a sender enqueues before it looks at the flag. So a closure is either seen by the running
 * drain or wakes the loop again: none waits for an unrelated wake-up.
 *
 * <p>Senders hold the read lock while they enqueue and write the eventfd; {@link #close()} takes
 * the write lock, so the eventfd is never written after it is closed (its number could already
 * belong to another file).
 */
final class EndpointChannel<S extends EventSubscriber> {
  private final Queue<EndpointMessage<S>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final EventFd wakeUp;
  private boolean closed; // guarded by lifecycle

  /** Whether the eventfd has been written since the last drain began; see the class comment. */
  private final AtomicBoolean wakeUpPending = new AtomicBoolean();

  /**
   * The thread inside the manager ({@code run}, {@code addSubscriber}, {@code removeSubscriber},
   * and so every callback and closure), or null. Kept here, not in the manager, because a blocking
   * call must fail fast on that thread: nobody else would ever answer it.
   */
  final AtomicReference<Thread> inside = new AtomicReference<>();

  /**
   * Set by {@link RemoteEndpoint#stop()}, read and cleared by the loop of {@code runUntilStopped}.
   */
  volatile boolean stopRequested;

  EndpointChannel() {
    try {
      this.wakeUp = EventFd.create(EventFd.NONBLOCK);
    } catch (OsException e) {
      throw ReactorException.eventFd(e);
    }
  }

  int fd() {
    return wakeUp.fd();
  }

  /**
   * Adds the eventfd to {@code epoll} for IN, with its own number as data (as upstream); if that
   * fails, closes this channel so that the eventfd does not leak.
   */
  void registerWith(Epoll epoll) {
    try {
      int fd = wakeUp.fd();
      epoll.add(fd, Epoll.IN, fd);
    } catch (OsException e) {
      close();
      throw ReactorException.epoll(e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Enqueues and wakes the loop; CHANNEL_SEND once closed. */
  void send(EndpointMessage<S> message) {
    var lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw ReactorException.of(ReactorException.Kind.CHANNEL_SEND);
      }
      queue.add(message);
      wake();
    } catch (OsException e) {
      throw ReactorException.eventFd(e);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the loop; does nothing once closed. */
  void kick() {
    var lock = lifecycle.readLock();
    lock.lock();
    try {
      if (!closed) {
        wake();
      }
    } catch (OsException e) {
      throw ReactorException.eventFd(e);
    } finally {
      lock.unlock();
    }
  }

  /** Writes the eventfd unless a wake-up is already pending. Callers hold the read lock. */
  private void wake() {
    // The CAS (a full fence) orders the caller's enqueue before the flag is read.
    if (!wakeUpPending.get() && wakeUpPending.compareAndSet(false, true)) {
      try {
        wakeUp.add(1);
      } catch (RuntimeException e) {
        wakeUpPending.set(false); // nothing was written: let the next sender try
        throw e;
      }
    }
  }

  /**
   * Resets the eventfd, then runs every queued closure in FIFO order; calls cancelled by their
   * callers are skipped.
   *
   * <p>A fired closure that throws does not stop the others: once the queue is empty, the first
   * failure is rethrown as it is (checked or not), with the later ones suppressed in it. The
   * exception is a {@link VirtualMachineError} (out of memory, stack overflow): the JVM may not be
   * able to go on running closures, so it leaves at once, the rest staying queued. Whenever the
   * drain leaves early with closures still queued, it writes the eventfd again, so that the next
   * run drains them rather than leaving them until some unrelated wake-up.
   */
  void drain(SubscriberOps<S> ops) {
    try {
      wakeUp.take();
    } catch (OsException e) {
      throw ReactorException.eventFd(e);
    }
    // Cleared after the eventfd is reset (a write the reset consumed must not leave the flag set
    // with nobody to clear it) and before the queue is polled: a sender that finds it clear writes
    // the eventfd again, and one that found it set had enqueued before this write, so the polls
    // below see its closure.
    wakeUpPending.set(false);
    try {
      runAll(queue, ops);
    } catch (Throwable early) {
      if (!queue.isEmpty()) {
        try {
          kick();
        } catch (RuntimeException kickFailure) {
          early.addSuppressed(kickFailure);
        }
      }
      throw early;
    }
  }

  /**
   * Runs every closure in {@code messages}, FIFO, removing each; fired closures' failures are
   * collected and the first rethrown at the end (see {@link #drain}).
   */
  static <S extends EventSubscriber> void runAll(
      Queue<EndpointMessage<S>> messages, SubscriberOps<S> ops) {
    Throwable firstFailure = null;
    EndpointMessage<S> message;
    while ((message = messages.poll()) != null) {
      switch (message) {
        case EndpointMessage.Call<S> call -> call.run(ops);
        case EndpointMessage.Fire<S> fire -> {
          try {
            fire.action().accept(ops);
          } catch (VirtualMachineError fatal) {
            if (firstFailure != null) {
              fatal.addSuppressed(firstFailure);
            }
            throw fatal;
          } catch (Throwable t) {
            if (firstFailure == null) {
              firstFailure = t;
            } else if (t != firstFailure) { // the same instance cannot suppress itself
              firstFailure.addSuppressed(t);
            }
          }
        }
      }
    }
    if (firstFailure != null) {
      throw EndpointMessage.Call.<RuntimeException>sneakyThrow(firstFailure);
    }
  }

  /**
   * Refuses new messages and closes the eventfd.
   *
   * @return the closures still queued, in order, for the caller to run or abandon (none is dropped
   *     silently); empty if already closed
   */
  Queue<EndpointMessage<S>> close() {
    var lock = lifecycle.writeLock();
    lock.lock();
    try {
      Queue<EndpointMessage<S>> remaining = new ArrayDeque<>();
      if (closed) {
        return remaining;
      }
      closed = true;
      EndpointMessage<S> message;
      while ((message = queue.poll()) != null) {
        remaining.add(message);
      }
      wakeUp.close();
      return remaining;
    } finally {
      lock.unlock();
    }
  }
}
