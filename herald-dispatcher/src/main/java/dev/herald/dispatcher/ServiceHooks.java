package dev.herald.dispatcher;

import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * What a service does on the default commands (upstream's virtual functions of {@code
 * connection_with_send_message}). Every method has a default; override the ones you need.
 *
 * <pre>{@code
 * final class MyService implements ServiceHooks {
 *   @Override public void stop(boolean quitting) { loop.stop(); }
 *   @Override public void ready(Message message) { startWork(); }
 * }
 * DefaultCommands.install(dispatcher, new MyService());
 * }</pre>
 */
public interface ServiceHooks {
  /**
   * STOP ({@code quitting} false) or QUITTING (true): the service should end.
   *
   * @param quitting true when the whole system is shutting down
   */
  default void stop(boolean quitting) {
    LoggerFactory.getLogger(ServiceHooks.class)
        .warn(
            "{} received but ServiceHooks.stop() is not implemented.",
            quitting ? "QUITTING" : "STOP");
  }

  /**
   * READY: the communicator daemon accepted the service.
   *
   * @param message the READY message
   */
  default void ready(Message message) {}

  /**
   * RESTART: the service should restart (for example after an upgrade).
   *
   * @param message the RESTART message
   */
  default void restart(Message message) {
    LoggerFactory.getLogger(ServiceHooks.class)
        .warn("RESTART received but ServiceHooks.restart() is not implemented.");
  }

  /**
   * HELP: add the commands that non-exact entries (patterns, the catch-all) accept.
   *
   * @param commands the commands so far; add to it
   */
  default void help(Set<String> commands) {}

  /** LOG_ROTATE: reopen log files. */
  default void logRotate() {
    LoggerFactory.getLogger(ServiceHooks.class)
        .info("LOG_ROTATE received; override ServiceHooks.logRotate() to reopen log files.");
  }

  /** LEAK: report leaks (there is no sanitizer in Java; a heap summary is a fair answer). */
  default void leak() {
    Runtime runtime = Runtime.getRuntime();
    LoggerFactory.getLogger(ServiceHooks.class)
        .info(
            "LEAK received: heap {} bytes used of {}.",
            runtime.totalMemory() - runtime.freeMemory(),
            runtime.totalMemory());
  }
}
