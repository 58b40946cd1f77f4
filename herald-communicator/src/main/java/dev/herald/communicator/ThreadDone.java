package dev.herald.communicator;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Worker threads telling a loop that they are done (upstream's {@code thread_done_signal}): a
 * worker calls {@link #done()} as it finishes, and the loop calls the listener with that thread, on
 * the loop thread (where joining it no longer blocks for long). A {@link MessageQueue} of threads.
 *
 * <pre>{@code
 * ThreadDone finished = ThreadDone.open(communicator, "workers", thread -> {
 *   joinQuietly(thread);
 *   startNextBatch();
 * });
 * Thread.ofPlatform().start(() -> {
 *   try {
 *     work();
 *   } finally {
 *     finished.done();
 *   }
 * });
 * }</pre>
 */
public final class ThreadDone implements AutoCloseable {
  private final MessageQueue<Thread> finished;

  private ThreadDone(MessageQueue<Thread> finished) {
    this.finished = finished;
  }

  /**
   * Opens the connection and adds it to {@code communicator}.
   *
   * @param communicator the loop
   * @param name the connection's name
   * @param listener called on the loop thread with each thread that called {@link #done()}
   * @return the connection
   */
  public static ThreadDone open(
      Communicator communicator, String name, Consumer<? super Thread> listener) {
    Objects.requireNonNull(listener, "listener");
    return new ThreadDone(MessageQueue.toLoop(communicator, name, listener));
  }

  /**
   * Tells the loop that the calling thread is done; from the worker, as its last step.
   *
   * @return true when the loop will hear of it, false once this connection is closed
   */
  public boolean done() {
    return finished.send(Thread.currentThread());
  }

  /**
   * The connection in the loop.
   *
   * @return the connection
   */
  public Connection connection() {
    return finished.connection();
  }

  /** Closes the connection; the listener still hears of every thread that was done before. */
  @Override
  public void close() {
    finished.close();
  }
}
