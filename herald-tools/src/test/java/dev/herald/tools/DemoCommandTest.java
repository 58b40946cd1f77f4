package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  void ringDemoInterruptedStopsItsWriterAndRemovesItsRing() throws Exception {
    Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of("/tmp");
    Path ring = dir.resolve("herald-demo-ring-" + ProcessHandle.current().pid());
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Thread demo =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    new RingDemo(new DemoLog(new PrintStream(OutputStream.nullOutputStream())))
                        .run(Duration.ofMinutes(5));
                    ended.complete(null);
                  } catch (Throwable t) {
                    ended.complete(t);
                  }
                });
    while (!Files.exists(ring)) {
      Thread.sleep(10);
    }
    Thread.sleep(300); // the writer thread is recording
    demo.interrupt(); // what Ctrl-C does through the shutdown gate
    assertTrue(ended.get(30, TimeUnit.SECONDS) instanceof InterruptedException);
    assertFalse(Files.exists(ring), "the demo's ring file is removed");
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

  @Test
  void communicatorDemoAsksTheServiceAndStopsIt() throws Exception {
    String out = capture(log -> new CommunicatorDemo(log).run());
    assertTrue(out.matches("(?s).*listening on tcp://127\\.0\\.0\\.1:[1-9][0-9]*\n.*"), out);
    assertTrue(out.contains("receives COMMANDS list=ALIVE,ECHO,HELP,"), out);
    assertTrue(out.contains("receives ABSOLUTELY reply_timestamp="), out);
    assertTrue(out.contains("receives ECHOED text="), out);
    assertTrue(out.contains("hello, herald"), out);
    assertTrue(out.contains("stopped: its listener is closed"), out);
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
