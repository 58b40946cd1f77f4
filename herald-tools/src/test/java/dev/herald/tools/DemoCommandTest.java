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
  void ringDemoReadsEveryCounterInOrderAndSeesTheWriterGo() throws Exception {
    String out = capture(log -> new RingDemo(log).run(Duration.ofSeconds(1)));
    assertTrue(out.contains("writer created"), out);
    assertTrue(out.contains("0 gaps, 0 out of order"), out);
    assertTrue(out.contains("reader saw the writer GONE and stopped"), out);
    assertTrue(out.contains(", 0 expired"), out);
  }

  @Test
  void dispatcherDemoAnswersLikeACxxService() throws Exception {
    String out = capture(log -> new DispatcherDemo(log).run());
    assertTrue(out.contains("web1:front/LOCKED object_name=job7;timeout=30"), out);
    assertTrue(out.contains("web1:front/COMMANDS list=ALIVE,"), out);
    assertTrue(out.contains("my-host.example:ed-signal/ABSOLUTELY"), out);
    assertTrue(out.contains("web1:front/INVALID command=ALIVE;message="), out);
    assertTrue(out.contains("web1:front/UNKNOWN command=FROBNICATE"), out);
    assertTrue(out.contains("rejected"), out);
    assertTrue(out.contains("STOP hook called"), out);
  }

  private interface DemoPart {
    void run(DemoLog log) throws Exception;
  }

  private static String capture(DemoPart part) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    part.run(new DemoLog(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheDemo() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CommandLine cli = Herald.commandLine();
    cli.setOut(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
    assertEquals(0, cli.execute("--help"));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("demo"));
  }
}
