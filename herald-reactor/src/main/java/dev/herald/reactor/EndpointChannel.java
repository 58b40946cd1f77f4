package dev.herald.reactor;

import dev.herald.os.Epoll;
import dev.herald.os.EventFd;
import dev.herald.os.OsException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The manager's side of the remote endpoint: a lock-free MPSC queue of closures plus the eventfd
 * that wakes the loop (send first, then write, as upstream).
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
      wakeUp.add(1);
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
        wakeUp.add(1);
      }
    } catch (OsException e) {
      throw ReactorException.eventFd(e);
    } finally {
      lock.unlock();
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
    Throwable firstFailure = null;
    try {
      EndpointMessage<S> message;
      while ((message = queue.poll()) != null) {
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
    if (firstFailure != null) {
      throw EndpointMessage.Call.<RuntimeException>sneakyThrow(firstFailure);
    }
  }

  /** Refuses new messages, fails waiting callers with CHANNEL_RECV, and closes the eventfd. */
  void close() {
    var lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      EndpointMessage<S> message;
      while ((message = queue.poll()) != null) {
        if (message instanceof EndpointMessage.Call<S> call) {
          call.abandon(ReactorException.of(ReactorException.Kind.CHANNEL_RECV));
        }
      }
      wakeUp.close();
    } finally {
      lock.unlock();
    }
  }
}
