package dev.herald.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** An {@link App} running on its own thread, for tests that act on it from outside. */
final class RunningApp {
  private final App app;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private RunningApp(App app) {
    this.app = app;
  }

  static RunningApp start(App app) {
    RunningApp running = new RunningApp(app);
    Thread.ofPlatform()
        .name("test-app-run")
        .start(
            () -> {
              try {
                app.run();
                running.done.complete(null);
              } catch (Throwable t) {
                running.done.completeExceptionally(t);
              }
            });
    return running;
  }

  App app() {
    return app;
  }

  /** Waits for run() to return; rethrows what it threw. */
  void await() throws Throwable {
    try {
      done.get();
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  /** Waits for run() to fail and returns the failure. */
  Throwable failure() throws InterruptedException {
    try {
      done.get();
      throw new AssertionError("run() returned normally; a failure was expected");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
