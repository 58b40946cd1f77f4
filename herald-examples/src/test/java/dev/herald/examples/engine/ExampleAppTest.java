package dev.herald.examples.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.engine.PyEvents;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Upstream's example application, end to end, with its real Python plugin. */
@Timeout(60)
class ExampleAppTest {
  private static long count(List<String> log, String line) {
    return log.stream().filter(line::equals).count();
  }

  @Test
  void theExampleApplicationRunsEndToEndWithTheRealPythonPlugin() throws Exception {
    // Fail at once with the fix rather than time out waiting for a plugin that cannot start.
    assertTrue(
        PyEvents.available(),
        PyEvents.PYTHON + " cannot import zmq: install python3-zmq (.ci/run does) and rerun");
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    int[] ports = LoopbackPorts.free(3);
    ExampleApp.Result result = ExampleApp.run(ports[0], ports[1], ports[2], log::add);
    String all = String.join("\n", log);
    assertEquals(0, result.droppedEvents(), all);
    for (int i = 0; i < 5; i++) {
      String message = "This is message " + i;
      assertEquals(1, count(log, "counter got TypeA '" + message + "', published TypeB 17"), all);
      assertEquals(1, count(log, "py_plugin got b'TypeA" + message + "'"), all);
    }
    assertEquals(5, count(log, "py_plugin got b'TypeB17'"), all);
    assertEquals(5, count(log, "msg_producer got TypeB count 17"), all);
    assertEquals(1, count(log, "msg_producer got TypeC 'Goodbye from python'"), all);
  }

  /** This JVM's running {@code example_plugin.py} child, once it has started. */
  private static ProcessHandle awaitPythonChild(CompletableFuture<?> example) throws Exception {
    while (!example.isDone()) {
      Optional<ProcessHandle> python =
          ProcessHandle.current()
              .children()
              .filter(
                  p ->
                      p.info().arguments().stream()
                          .flatMap(Arrays::stream)
                          .anyMatch(a -> a.endsWith("example_plugin.py")))
              .findFirst();
      if (python.isPresent()) {
        return python.get();
      }
      Thread.sleep(5);
    }
    throw new AssertionError(
        "the example ended before its Python plugin started: " + example.get());
  }

  @Test
  void aKilledPythonPluginEndsTheExampleWithAnErrorAndLeavesNothingBehind() throws Exception {
    assertTrue(PyEvents.available(), PyEvents.PYTHON + " cannot import zmq: install python3-zmq");
    int[] ports = LoopbackPorts.free(3);
    CompletableFuture<ExampleApp.Result> example =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ExampleApp.run(ports[0], ports[1], ports[2], line -> {});
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    ProcessHandle python = awaitPythonChild(example);
    Path dir =
        Path.of(
                python.info().arguments().stream()
                    .flatMap(Arrays::stream)
                    .filter(a -> a.endsWith("example_plugin.py"))
                    .findFirst()
                    .orElseThrow())
            .getParent();
    assertTrue(python.destroyForcibly()); // SIGKILL, before it could say goodbye
    ExecutionException failed = assertThrows(ExecutionException.class, example::get);
    ExampleException e = assertInstanceOf(ExampleException.class, failed.getCause());
    assertEquals(ExampleException.Kind.PLUGIN_DIED, e.kind());
    assertTrue(
        e.getMessage().startsWith("the Python plugin (pid " + python.pid() + ", port " + ports[2])
            && e.getMessage().contains("was killed by signal 9 before the example finished"),
        e.getMessage());
    assertFalse(Files.exists(dir), "the plugin's directory is removed: " + dir);
    for (int port : ports) {
      try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(port, free.getLocalPort(), "the engine released its ports");
      }
    }
  }
}
