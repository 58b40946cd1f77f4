package dev.herald.reactor;

import dev.herald.os.EventFd;
import dev.herald.os.OsException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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

  /** Set by the loop at each run so a blocking call from the loop thread can fail fast. */
  volatile Thread loopThread;

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
   * Resets the eventfd, then runs every queued closure in FIFO order. A fired closure that throws
   * does not stop the others; the first failure is rethrown after the queue is drained.
   */
  void drain(SubscriberOps<S> ops) {
    wakeUp.take();
    RuntimeException firstFailure = null;
    EndpointMessage<S> message;
    while ((message = queue.poll()) != null) {
      switch (message) {
        case EndpointMessage.Call<S> call -> {
          try {
            call.reply().complete(call.function().apply(ops));
          } catch (Throwable t) {
            call.reply().completeExceptionally(t);
          }
        }
        case EndpointMessage.Fire<S> fire -> {
          try {
            fire.action().accept(ops);
          } catch (RuntimeException e) {
            if (firstFailure == null) {
              firstFailure = e;
            } else {
              firstFailure.addSuppressed(e);
            }
          }
        }
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
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
          call.reply()
              .completeExceptionally(ReactorException.of(ReactorException.Kind.CHANNEL_RECV));
        }
      }
      wakeUp.close();
    } finally {
      lock.unlock();
    }
  }
}
