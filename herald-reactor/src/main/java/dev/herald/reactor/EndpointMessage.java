package dev.herald.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;

/** A closure posted through a {@link RemoteEndpoint}, run on the loop thread. */
sealed interface EndpointMessage<S extends EventSubscriber> {
  /** A closure whose caller does not wait; what it throws surfaces from the manager's run. */
  record Fire<S extends EventSubscriber>(Consumer<SubscriberOps<S>> action)
      implements EndpointMessage<S> {}

  /**
   * A closure whose caller blocks until it has run; what it throws goes to the caller, unchanged.
   *
   * <p>It runs at most once, and not at all if its caller gives up first (interrupted, or the
   * wake-up failed): the state moves from pending either to running (the loop) or to cancelled (the
   * caller), never both, so a caller that got "cancelled" knows the closure never ran.
   *
   * <p>The outcome is kept here rather than in a {@code CompletableFuture}, which would unwrap a
   * {@code CompletionException} thrown by the closure and wrap checked exceptions.
   */
  final class Call<S extends EventSubscriber> implements EndpointMessage<S> {
    private static final int PENDING = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Call.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Function<SubscriberOps<S>, ?> function;
    private final CountDownLatch done = new CountDownLatch(1);

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    // Written before done.countDown() and read after done.await(): the latch orders them.
    private Object result;
    private Throwable failure;

    Call(Function<SubscriberOps<S>, ?> function) {
      this.function = function;
    }

    /** On the loop thread: runs the closure unless its caller cancelled it, and answers. */
    void run(SubscriberOps<S> ops) {
      if (!STATE.compareAndSet(this, PENDING, STARTED)) {
        return;
      }
      try {
        result = function.apply(ops);
      } catch (Throwable t) {
        failure = t;
      }
      done.countDown();
    }

    /** Answers {@code why} instead of running the closure (the manager closed); once only. */
    void abandon(Throwable why) {
      if (STATE.compareAndSet(this, PENDING, STARTED)) {
        failure = why;
        done.countDown();
      }
    }

    /**
     * Withdraws the call if the loop has not started it.
     *
     * @return true if the closure will never run
     */
    boolean cancel() {
      return STATE.compareAndSet(this, PENDING, CANCELLED);
    }

    boolean isDone() {
      return done.getCount() == 0;
    }

    void await() throws InterruptedException {
      done.await();
    }

    /** What the closure returned; rethrows what it threw, checked exceptions included, as-is. */
    Object outcome() {
      if (failure != null) {
        throw Call.<RuntimeException>sneakyThrow(failure);
      }
      return result;
    }

    /** Throws {@code t} unchanged, whatever its type: the compiler takes it as a {@code T}. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneakyThrow(Throwable t) throws T {
      throw (T) t;
    }
  }
}
