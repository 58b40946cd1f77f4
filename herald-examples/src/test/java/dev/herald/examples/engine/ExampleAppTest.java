package dev.herald.examples.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.engine.PyEvents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    assertEquals(0, result.pythonExitCode(), all);
    assertEquals(0, result.droppedEvents());
    for (int i = 0; i < 5; i++) {
      String message = "This is message " + i;
      assertEquals(1, count(log, "counter got TypeA '" + message + "', published TypeB 17"), all);
      assertEquals(1, count(log, "py_plugin got b'TypeA" + message + "'"), all);
    }
    assertEquals(5, count(log, "py_plugin got b'TypeB17'"), all);
    assertEquals(5, count(log, "msg_producer got TypeB count 17"), all);
    assertEquals(1, count(log, "msg_producer got TypeC 'Goodbye from python'"), all);
  }
}
