package dev.herald.reactor;

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
   * <p>Unlike upstream, which deadlocks, calling this on the thread that is inside the manager (in
   * {@link EventManager#run()}, {@link EventManager#addSubscriber} or {@link
   * EventManager#removeSubscriber}, and so from any callback, {@code init} included, or endpoint
   * closure) fails at once with {@link IllegalStateException}: use {@link #fire} there, or the
   * {@link SubscriberOps} at hand. Between two runs the manager cannot tell which thread will run
   * it next, so a loop thread that calls this between its own runs still waits forever.
   *
   * <p>If this thread is interrupted while it waits, the call is withdrawn: when the loop has not
   * started the closure yet, it never will; when the loop is running it right now, its outcome is
   * lost. Either way the interrupt flag is set again and {@link ReactorException.Kind#CHANNEL_RECV}
   * is thrown, its cause an {@link InterruptedException} that says which of the two happened. If
   * the closure had already finished, its outcome is delivered (with the flag set).
   *
   * @param function what to run with the manager's {@link SubscriberOps}
   * @param <T> the result type
   * @return what {@code function} returned
   * @throws ReactorException {@link ReactorException.Kind#CHANNEL_SEND} if the manager is closed,
   *     {@link ReactorException.Kind#CHANNEL_RECV} if it closes (or this thread is interrupted)
   *     before answering, {@link ReactorException.Kind#EVENT_FD} if the wake-up fails (the call is
   *     then withdrawn and does not run)
   * @throws IllegalStateException on the thread inside the manager
   * @throws RuntimeException whatever {@code function} threw, as it is: errors and checked
   *     exceptions thrown by stealth too, none wrapped
   */
  public <T> T callBlocking(Function<SubscriberOps<S>, T> function) {
    if (channel.inside.get() == Thread.currentThread()) {
      throw new IllegalStateException(
          "callBlocking() on the event loop's own thread would wait for itself forever; use fire(),"
              + " or the SubscriberOps passed to your code");
    }
    EndpointMessage.Call<S> call = new EndpointMessage.Call<>(function);
    try {
      channel.send(call);
    } catch (RuntimeException e) {
      // Queued but the wake-up failed: do not let it run later, with nobody waiting.
      call.cancel();
      throw e;
    }
    try {
      call.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (call.cancel()) {
        throw interrupted("before the loop ran the closure: it is cancelled and will not run");
      }
      if (!call.isDone()) {
        throw interrupted("while the loop thread ran the closure: its outcome is lost");
      }
      // It finished just in time: deliver it.
    }
    @SuppressWarnings("unchecked") // the call holds exactly what function returned
    T result = (T) call.outcome();
    return result;
  }

  private static ReactorException interrupted(String what) {
    return ReactorException.of(
        ReactorException.Kind.CHANNEL_RECV,
        new InterruptedException("callBlocking() was interrupted " + what));
  }

  /**
   * Posts {@code action} to run on the loop thread without waiting; safe from callbacks too (it
   * then runs at the end of the current run if the endpoint is already in its ready list, else in
   * the next). If the action throws, the exception surfaces, as it is, from the loop's {@code run}
   * after the other queued closures have run; several failures surface as the first, with the
   * others suppressed in it. An action that throws a {@link VirtualMachineError} ends the drain at
   * once; the closures behind it stay queued and run in the next run.
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
