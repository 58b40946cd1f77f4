package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  @Test
  void reactorDemoShowsEverySubscriberAtWork() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ReactorDemo(new DemoLog(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
        .run(Duration.ofSeconds(1));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("eventfd   counter +1 = 1"), out);
    assertTrue(out.contains("timerfd   tick #1"), out);
    assertTrue(out.contains("signalfd  SIGUSR1 from pid"), out);
    assertTrue(out.contains("got echo \"HELLO\""), out);
    assertTrue(out.contains("returned cleanly through stop()"), out);
  }

  @Test
  void helpListsTheDemo() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new Herald());
    cli.setOut(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
    assertEquals(0, cli.execute("--help"));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("demo"));
  }
}
