package dev.herald.communicator;

import dev.herald.os.EventFd;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A communicator running on its own thread for a test, kept alive by an fd that never becomes
 * readable, and reached through {@link Communicator#post}, as any other thread would.
 */
final class Loop implements AutoCloseable {
  final Communicator communicator = new Communicator();
  private final EventFd keeper = EventFd.create(EventFd.NONBLOCK);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CompletableFuture<Boolean> result = new CompletableFuture<>();
  private Thread thread;

  Loop() {
    communicator.add(Connection.of("keeper", keeper, new ConnectionHandler() {}));
  }

  Loop start() {
    thread =
        Thread.ofPlatform()
            .name("loop")
            .start(
                () -> {
                  try {
                    result.complete(communicator.run());
                  } catch (Throwable t) {
                    failure.set(t);
                    result.completeExceptionally(t);
                  }
                });
    return this;
  }

  /** Runs {@code action} on the loop thread and returns its result. */
  <T> T call(Supplier<T> action) {
    CompletableFuture<T> done = new CompletableFuture<>();
    communicator.post(
        () -> {
          try {
            done.complete(action.get());
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        });
    try {
      return done.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException thrown) {
        throw thrown; // as the action threw it
      }
      throw new AssertionError("loop call failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("loop call failed", e);
    }
  }

  void run(Runnable action) {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Returns once the loop has handled what was ready when this was called: a timer added now joins
   * the next round, whose wait sees everything ready before it, and fires last in that round.
   */
  void sync() {
    CountDownLatch done = new CountDownLatch(1);
    communicator.post(
        () -> {
          Connection last =
              Connection.timer(
                  "sync",
                  0,
                  ConnectionHandler.onTimeout(
                      c -> {
                        done.countDown();
                        c.remove();
                      }));
          last.setPriority(Connection.MAX_PRIORITY);
          communicator.add(last);
        });
    try {
      if (!done.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the loop did not come round within 10 s");
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The loop thread's failure, if it failed. */
  Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() {
    if (thread != null && thread.isAlive()) {
      communicator.post(() -> communicator.connections().forEach(Connection::remove));
      try {
        result.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the loop did not end", e);
      }
    }
    communicator.close();
    keeper.close();
    if (failure.get() != null) {
      throw new AssertionError("the loop failed", failure.get());
    }
  }
}
