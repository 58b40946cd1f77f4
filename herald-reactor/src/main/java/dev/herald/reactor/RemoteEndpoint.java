package dev.herald.reactor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reaches an {@link EventManager} from other threads: closures posted here run on the loop thread,
 * after every subscriber callback of a run, in the order posted. Thread-safe; every call to {@link
 * EventManager#remoteEndpoint()} returns the same endpoint.
 *
 * <pre>{@code
 * RemoteEndpoint<MySubscriber> remote = manager.remoteEndpoint();
 * Thread loop = Thread.ofPlatform().start(manager::runUntilStopped);
 * SubscriberId id = remote.callBlocking(ops -> ops.addSubscriber(new MySubscriber()));
 * remote.fire(ops -> ops.removeSubscriber(id));
 * remote.stop();
 * loop.join();
 * }</pre>
 *
 * @param <S> the subscriber type
 */
public final class RemoteEndpoint<S extends EventSubscriber> {
  private final EndpointChannel<S> channel;

  RemoteEndpoint(EndpointChannel<S> channel) {
    this.channel = channel;
  }

  /**
   * Runs {@code function} on the loop thread and waits for its result.
   *
   * <p>Unlike upstream, which deadlocks, calling this on the loop thread itself (for example from a
   * callback) fails at once with {@link IllegalStateException}: use {@link #fire} there, or the
   * {@link SubscriberOps} at hand.
   *
   * @param function what to run with the manager's {@link SubscriberOps}
   * @param <T> the result type
   * @return what {@code function} returned
   * @throws ReactorException {@link ReactorException.Kind#CHANNEL_SEND} if the manager is closed,
   *     {@link ReactorException.Kind#CHANNEL_RECV} if it closes (or this thread is interrupted)
   *     before answering, {@link ReactorException.Kind#EVENT_FD} if the wake-up fails
   * @throws RuntimeException whatever {@code function} threw, unchanged
   */
  public <T> T callBlocking(Function<SubscriberOps<S>, T> function) {
    if (Thread.currentThread() == channel.loopThread) {
      throw new IllegalStateException(
          "callBlocking() on the event loop's own thread would wait for itself forever; use fire(),"
              + " or the SubscriberOps passed to your code");
    }
    CompletableFuture<Object> reply = new CompletableFuture<>();
    channel.send(new EndpointMessage.Call<>(function, reply));
    try {
      @SuppressWarnings("unchecked") // the reply holds exactly what function returned
      T result = (T) reply.get();
      return result;
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RuntimeException runtime -> throw runtime;
        case Error error -> throw error;
        default -> throw new IllegalStateException(e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ReactorException failure = ReactorException.of(ReactorException.Kind.CHANNEL_RECV);
      failure.addSuppressed(e);
      throw failure;
    }
  }

  /**
   * Posts {@code action} to run on the loop thread without waiting; safe from callbacks too (it
   * then runs at the end of the current run if the endpoint is already in its ready list, else in
   * the next). If the action throws, the exception surfaces from the loop's {@code run} after the
   * other queued closures have run.
   *
   * @param action what to run with the manager's {@link SubscriberOps}
   * @throws ReactorException {@link ReactorException.Kind#CHANNEL_SEND} if the manager is closed
   */
  public void fire(Consumer<SubscriberOps<S>> action) {
    channel.send(new EndpointMessage.Fire<>(action));
  }

  /** Wakes the loop so a blocked {@code run()} returns; harmless after the manager closed. */
  public void kick() {
    channel.kick();
  }

  /**
   * Asks {@link EventManager#runUntilStopped()} to return after its current run, and wakes it.
   * Harmless after the manager closed (not in upstream, which has no stop).
   */
  public void stop() {
    channel.stopRequested = true;
    channel.kick();
  }
}
