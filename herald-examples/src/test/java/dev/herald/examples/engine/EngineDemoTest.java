package dev.herald.examples.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.engine.App;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo entry point and the load test, for real. */
@Timeout(60)
class EngineDemoTest {
  @Test
  void demoRunsTheExampleWithPythonThenTheLoadPipelineAndStopsCleanly() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EngineDemo.run(Duration.ofSeconds(1), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("msg_producer got TypeC 'Goodbye from python'"), out);
    assertTrue(out.contains("example done: python exited with 0, 0 events dropped"), out);
    assertTrue(out.contains("events through the pipeline"), out);
    assertTrue(out.contains("load stopped: every thread ended and every port was released"), out);
  }

  @Test
  void loadTestDeliversEveryEventWithBackpressure() throws Exception {
    int[] ports = LoopbackPorts.free(2);
    App app = new App(ports[0], ports[1]).queueCapacity(256);
    LoadTest load = LoadTest.register(app, 100_000, 100, 1000);
    app.run();
    assertEquals(100_000, load.received());
    assertEquals(load.expectedTotalLength(), load.totalLength());
    assertEquals(0, app.droppedEvents());
  }
}
