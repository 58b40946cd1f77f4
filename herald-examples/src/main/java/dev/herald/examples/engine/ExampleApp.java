package dev.herald.examples.engine;

import dev.herald.engine.App;
import dev.herald.engine.ExternalPlugin;
import java.util.function.Consumer;

/**
 * Upstream's example application, ported: {@link MsgProducerPlugin} and {@link CounterPlugin}
 * inside, and the Python plugin {@code example_plugin.py} as an external plugin subscribed to TypeA
 * and TypeB. Everything ends by itself: the producer after the Python plugin's TypeC goodbye, the
 * Python plugin after ten events. {@link #run} starts the Python plugin itself and fails, rather
 * than waiting for ever, if it dies; {@link #runWithExternalPlugin} waits for a plugin process the
 * user starts, as upstream's example does.
 *
 * <pre>{@code
 * ExampleApp.Result result = ExampleApp.run(5559, 5560, 6000, System.out::println);
 * assert result.droppedEvents() == 0;
 * }</pre>
 */
public final class ExampleApp {
  private ExampleApp() {}

  /**
   * How the example ended.
   *
   * @param droppedEvents events dropped by the engine (0 expected)
   */
  public record Result(long droppedEvents) {}

  /**
   * Builds the example application without running it.
   *
   * @param publishPort the publish port
   * @param subscribePort the subscribe port
   * @param pluginPort the Python plugin's port
   * @param log receives one line per event
   * @return the application
   */
  public static App build(
      int publishPort, int subscribePort, int pluginPort, Consumer<String> log) {
    return new App(publishPort, subscribePort)
        .registerPlugin(new MsgProducerPlugin(log))
        .registerPlugin(new CounterPlugin(log))
        .registerExternalPlugin(
            ExternalPlugin.of("py_plugin", pluginPort, ExampleTypes.TYPE_A, ExampleTypes.TYPE_B));
  }

  /**
   * Runs the example with the Python plugin as a real {@code /usr/bin/python3} process, whose
   * output lines also go to {@code log}. Returns once the example has finished and the plugin has
   * exited with code 0; the plugin's process and its temporary directory are gone when this returns
   * or throws, also when the calling thread is interrupted.
   *
   * @param publishPort the publish port
   * @param subscribePort the subscribe port
   * @param pluginPort the Python plugin's port
   * @param log receives one line per event
   * @return how it ended
   * @throws ExampleException {@code PLUGIN_START} if Python cannot be started, {@code PLUGIN_DIED}
   *     if it ended (killed, crashed) before the example finished or exited with a non-zero code
   * @throws dev.herald.engine.EngineException if the engine fails (a port in use, interrupted)
   * @throws InterruptedException if interrupted while waiting for Python to exit
   */
  public static Result run(int publishPort, int subscribePort, int pluginPort, Consumer<String> log)
      throws InterruptedException {
    App app = build(publishPort, subscribePort, pluginPort, log);
    try (PythonPluginProcess python = PythonPluginProcess.start(pluginPort, log, app::close)) {
      try {
        // The Python REQ socket connects in the background and retries until the port is bound.
        app.run();
      } catch (RuntimeException e) {
        python.failIfDied(e); // the plugin's death stopped the engine: report the death
        throw e;
      }
      python.awaitCleanExit();
    }
    return new Result(app.droppedEvents());
  }

  /**
   * Runs the example without starting a plugin: the engine waits on {@code pluginPort} for a plugin
   * process started by the user (for example {@code python3 example_plugin.py 6000 127.0.0.1} in
   * {@code pyevents/}) and returns once it has said goodbye and quit.
   *
   * @param publishPort the publish port
   * @param subscribePort the subscribe port
   * @param pluginPort the port the external plugin connects to
   * @param log receives one line per event
   * @return how it ended
   * @throws dev.herald.engine.EngineException if the engine fails (a port in use, interrupted)
   */
  public static Result runWithExternalPlugin(
      int publishPort, int subscribePort, int pluginPort, Consumer<String> log) {
    try (App app = build(publishPort, subscribePort, pluginPort, log)) {
      app.run();
      return new Result(app.droppedEvents());
    }
  }
}
