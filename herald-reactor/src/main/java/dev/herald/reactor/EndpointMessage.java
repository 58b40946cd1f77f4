package dev.herald.reactor;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/** A closure posted through a {@link RemoteEndpoint}, run on the loop thread. */
sealed interface EndpointMessage<S extends EventSubscriber> {
  /** A closure whose caller does not wait; what it throws surfaces from the manager's run. */
  record Fire<S extends EventSubscriber>(Consumer<SubscriberOps<S>> action)
      implements EndpointMessage<S> {}

  /** A closure whose caller blocks on {@code reply}; what it throws goes to the caller. */
  record Call<S extends EventSubscriber>(
      Function<SubscriberOps<S>, ?> function, CompletableFuture<Object> reply)
      implements EndpointMessage<S> {}
}
