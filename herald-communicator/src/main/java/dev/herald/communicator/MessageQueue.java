package dev.herald.communicator;

import dev.herald.os.EventFd;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A queue of messages between threads, with an {@code eventfd} that tells the receiving side
 * (upstream's {@code inter_thread_message_connection}, one direction per queue). Any thread {@link
 * #send}s; the receiver is either a loop ({@link #toLoop}: a connection whose receiver is called on
 * the loop thread) or one thread that {@link #take}s ({@link #toThread}). Two queues make the two
 * directions between a worker thread and a loop; a worker with a communicator of its own takes
 * {@link #toLoop} on that one.
 *
 * <p>No message is lost at close: a send that returned true is delivered, in the order sent (per
 * sending thread): by the loop in a round, or by {@link #close()} itself, which hands the receiver
 * what is still queued; a send after close returns false. Sends run concurrently with each other (a
 * shared lock that only close takes exclusively) and do not allocate beyond the queue's node.
 *
 * <pre>{@code
 * MessageQueue<Message> results = MessageQueue.toLoop(communicator, "results", this::publish);
 * MessageQueue<Job> jobs = MessageQueue.toThread();
 * worker = Thread.ofPlatform().start(() -> {
 *   for (Job job = jobs.take(); job != null; job = jobs.take()) {  // null once closed
 *     results.send(job.run());
 *   }
 * });
 * jobs.send(job);                                                   // from the loop
 * }</pre>
 *
 * @param <T> the message type
 */
public final class MessageQueue<T> implements AutoCloseable {
  /** Messages delivered per round, so that busy senders cannot hold the loop. */
  private static final int MESSAGES_PER_ROUND = 4096;

  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private final EventFd wake;
  private final Consumer<? super T> receiver;
  private final Connection connection;
  private boolean closed; // written under the write lock, read under either

  private MessageQueue(EventFd wake, String name, Consumer<? super T> receiver) {
    this.wake = wake;
    this.receiver = receiver;
    this.connection = receiver == null ? null : Connection.of(name, wake, new Events());
  }

  /**
   * A queue received by a loop: {@code receiver} is called on the loop thread for each message, in
   * the rounds after it was sent.
   *
   * @param communicator the loop
   * @param name the connection's name
   * @param receiver what to do with each message
   * @param <T> the message type
   * @return the queue, its connection added to {@code communicator}
   */
  public static <T> MessageQueue<T> toLoop(
      Communicator communicator, String name, Consumer<? super T> receiver) {
    Objects.requireNonNull(communicator, "communicator");
    Objects.requireNonNull(receiver, "receiver");
    MessageQueue<T> queue = new MessageQueue<>(EventFd.create(EventFd.NONBLOCK), name, receiver);
    try {
      communicator.add(queue.connection);
    } catch (RuntimeException e) {
      queue.wake.close();
      throw e;
    }
    return queue;
  }

  /**
   * A queue received by one thread through {@link #take()}.
   *
   * @param <T> the message type
   * @return the queue
   */
  public static <T> MessageQueue<T> toThread() {
    return new MessageQueue<>(EventFd.create(0), null, null);
  }

  /**
   * Queues a message for the receiver; safe from any thread.
   *
   * @param message the message
   * @return true when queued (it will be delivered), false once the queue is closed
   */
  public boolean send(T message) {
    Objects.requireNonNull(message, "message");
    ReentrantReadWriteLock.ReadLock open = gate.readLock();
    open.lock();
    try {
      if (closed) {
        return false;
      }
      queue.add(message); // before the wake-up: whoever reads the eventfd then finds it
      wake.add(1);
      return true;
    } finally {
      open.unlock();
    }
  }

  /**
   * Takes the next message, waiting for one (a {@link #toThread()} queue only).
   *
   * @return the message, or null once the queue is closed and every message sent before was taken
   * @throws IllegalStateException on a queue received by a loop
   */
  public T take() {
    if (connection != null) {
      throw new IllegalStateException(
          "take() on queue \"" + connection.name() + "\", which its loop receives");
    }
    while (true) {
      T message = queue.poll();
      if (message != null) {
        return message;
      }
      if (isClosed()) {
        return queue.poll(); // a send that beat close() queued before close() could finish
      }
      try {
        wake.take(); // blocks until a send or close() adds to the counter
      } catch (IllegalStateException closedMeanwhile) {
        // close() closed the eventfd between the check and the read: the next check sees it
      }
    }
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    ReentrantReadWriteLock.ReadLock open = gate.readLock();
    open.lock();
    try {
      return closed;
    } finally {
      open.unlock();
    }
  }

  /**
   * The connection of a queue received by a loop (priority, enabled flag).
   *
   * @return the connection, or null for a {@link #toThread()} queue
   */
  public Connection connection() {
    return connection;
  }

  /**
   * Closes the queue: later sends return false. A loop's queue hands the receiver every message
   * still queued and leaves the loop (removing its connection, or closing its communicator, closes
   * it the same way), at once on the loop thread (or with no loop running), else through {@link
   * Communicator#post}; a thread's queue wakes its taker, which takes what is left, then null.
   * Closing again does nothing.
   */
  @Override
  public void close() {
    if (!markClosed()) {
      return;
    }
    if (connection == null) {
      wake.close(); // a taker inside read() keeps the number until it returns
      return;
    }
    Communicator owner = connection.communicator().orElse(null);
    if (owner == null || owner.isConfinedHere()) {
      finish();
    } else {
      owner.post(this::finish);
    }
  }

  /**
   * Sets the closed flag once every send in flight has finished, so that none can queue after it.
   *
   * @return false if it was set already
   */
  private boolean markClosed() {
    ReentrantReadWriteLock.WriteLock exclusive = gate.writeLock();
    exclusive.lock();
    try {
      if (closed) {
        return false;
      }
      closed = true;
      if (connection == null) {
        wake.add(1); // wakes the taker
      }
      return true;
    } finally {
      exclusive.unlock();
    }
  }

  /** Hands the receiver what is left, then leaves the loop (which closes the eventfd). */
  private void finish() {
    deliver(Integer.MAX_VALUE);
    if (!connection.remove()) {
      wake.close();
    }
  }

  private void deliver(int most) {
    for (int i = 0; i < most; i++) {
      T message = queue.poll();
      if (message == null) {
        return;
      }
      receiver.accept(message);
    }
    if (connection.communicator().isPresent()) {
      wake.add(1); // more are queued: come back next round
    }
  }

  @Override
  public String toString() {
    return "MessageQueue(" + (connection == null ? "to a thread" : connection.name()) + ")";
  }

  /** The loop's callbacks. */
  private final class Events implements ConnectionHandler {
    @Override
    public void readable(Connection c) {
      wake.take();
      deliver(MESSAGES_PER_ROUND);
    }

    @Override
    public void removed(Connection c) {
      // Removed without close() (the communicator closed, or the connection was removed): the
      // queue closes all the same, and what was sent before still reaches the receiver.
      markClosed();
      deliver(Integer.MAX_VALUE);
      wake.close();
    }
  }
}
