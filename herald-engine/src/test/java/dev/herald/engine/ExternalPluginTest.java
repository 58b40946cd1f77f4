package dev.herald.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** External plugins driven by real Python processes through pyevents/events.py. */
@Timeout(60)
class ExternalPluginTest {
  private static final EventType TYPE_A = EventType.named("TypeA");
  private static final EventType ALL = EventType.named("");

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static final String COMMANDS =
      """
      import hashlib, sys, zmq
      from events import get_plugin_socket, get_next_msg, publish_msg, send_quit_command
      socket = get_plugin_socket(zmq.Context(), int(sys.argv[1]), "127.0.0.1")
      big = b"TypeBig" + bytes(range(256)) * 4096
      requests = [big, b"plugin_command: next_msg ", b"PLUGIN_COMMAND: NEXT_MSG", b"plugin_command: quit\\n",
                  b"", b"\\x00\\xffbinary", "plugin_command: next_msg\\u00e9".encode()]
      for request in requests:
          print("reply " + publish_msg(socket, request))
      socket.send_multipart([b"TypeM", b"second frame"])
      print("reply " + socket.recv_string())
      for _ in range(4):
          print("event " + get_next_msg(socket).hex())
      print("sha256 " + hashlib.sha256(get_next_msg(socket)).hexdigest())
      send_quit_command(socket)
      socket.close(linger=1000)
      """;

  @Test
  void commandsMatchExactlyEverythingElseIsPublishedAndMultiFrameEventsComeFrameByFrame()
      throws Throwable {
    int port = FreePorts.next();
    List<List<byte[]>> observed = new ArrayList<>();
    byte[] binary = {'T', 'y', 'p', 'e', 'A', 0, (byte) 0xfe};
    byte[] big = new byte[1 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    byte[] mib = TYPE_A.prefixed(big);
    App app =
        new App(FreePorts.next(), FreePorts.next())
            .registerPlugin(
                TestPlugin.of(
                    "observer",
                    (pub, in) -> {
                      for (int i = 0; i < 8; i++) {
                        observed.add(in.takeMessage());
                      }
                      pub.publish("TypeA first".getBytes(UTF_8));
                      pub.publishMultipart("TypeA".getBytes(UTF_8), "frame2".getBytes(UTF_8));
                      pub.publish(binary);
                      pub.publish("TypeB not subscribed".getBytes(UTF_8));
                      pub.publish(mib);
                    },
                    ALL))
            .registerExternalPlugin(ExternalPlugin.of("py", port, TYPE_A));
    try (PythonPlugin python = PythonPlugin.start(COMMANDS, port)) {
      app.run(); // returns once the observer is done and Python sent quit
      assertEquals(0, python.exitCode(), String.join("\n", python.output()));
      List<String> out = python.output();
      for (int i = 0; i < 8; i++) {
        assertEquals("reply event-engine: msg published", out.get(i));
      }
      assertEquals(
          List.of(
              "event " + hex("TypeA first".getBytes(UTF_8)),
              "event " + hex("TypeA".getBytes(UTF_8)),
              "event " + hex("frame2".getBytes(UTF_8)),
              "event " + hex(binary),
              "sha256 " + hex(MessageDigest.getInstance("SHA-256").digest(mib))),
          out.subList(8, 13));
    }
    List<String> published =
        observed.stream()
            .skip(1)
            .map(m -> String.join("|", m.stream().map(f -> hex(f)).toList()))
            .toList();
    byte[] bigFromPython = new byte[7 + (1 << 20)];
    System.arraycopy("TypeBig".getBytes(UTF_8), 0, bigFromPython, 0, 7);
    for (int i = 0; i < 1 << 20; i++) {
      bigFromPython[7 + i] = (byte) i;
    }
    assertEquals(1, observed.getFirst().size());
    assertArrayEquals(bigFromPython, observed.getFirst().getFirst());
    assertEquals(
        List.of(
            hex("plugin_command: next_msg ".getBytes(UTF_8)),
            hex("PLUGIN_COMMAND: NEXT_MSG".getBytes(UTF_8)),
            hex("plugin_command: quit\n".getBytes(UTF_8)),
            "",
            hex(new byte[] {0, (byte) 0xff, 'b', 'i', 'n', 'a', 'r', 'y'}),
            hex("plugin_command: next_msg\u00e9".getBytes(UTF_8)),
            hex("TypeM".getBytes(UTF_8)) + "|" + hex("second frame".getBytes(UTF_8))),
        published);
  }

  private static final String BLOCKING =
      """
      import sys, zmq
      from events import get_plugin_socket, get_next_msg, publish_msg, send_quit_command
      socket = get_plugin_socket(zmq.Context(), int(sys.argv[1]), "127.0.0.1")
      try:
          get_next_msg(socket, timeout=300)
          print("unexpected event")
      except zmq.error.Again:
          print("timed out")
      sys.stdin.readline()
      print("event " + get_next_msg(socket).decode())
      print("reply " + publish_msg(socket, b"TypeBafter timeout"))
      print("event " + get_next_msg(socket, timeout=-1).decode())
      send_quit_command(socket)
      socket.close(linger=1000)
      """;

  @Test
  void nextMsgBlocksUntilAnEventAndATimeoutLeavesTheSocketUsable() throws Throwable {
    int port = FreePorts.next();
    CountDownLatch go = new CountDownLatch(1);
    List<String> gotB = new ArrayList<>();
    App app =
        new App(FreePorts.next(), FreePorts.next())
            .registerPlugin(
                TestPlugin.of(
                    "source",
                    (pub, in) -> {
                      go.await();
                      pub.publish("TypeA one".getBytes(UTF_8));
                      gotB.add(new String(in.take(), UTF_8));
                      pub.publish("TypeA two".getBytes(UTF_8));
                    },
                    EventType.named("TypeB")))
            .registerExternalPlugin(ExternalPlugin.of("py", port, TYPE_A));
    try (PythonPlugin python = PythonPlugin.start(BLOCKING, port)) {
      RunningApp running = RunningApp.start(app);
      // Nothing was published: the engine held next_msg until Python's own timeout.
      assertEquals("timed out", python.nextLine());
      go.countDown();
      python.send("go");
      assertEquals("event TypeA one", python.nextLine());
      assertEquals("reply event-engine: msg published", python.nextLine());
      assertEquals("event TypeA two", python.nextLine());
      assertEquals(0, python.exitCode(), String.join("\n", python.output()));
      running.await();
    }
    assertEquals(List.of("TypeBafter timeout"), gotB);
  }

  private static final String LATE_READER =
      """
      import sys, zmq
      from events import get_plugin_socket, get_next_msg, send_quit_command
      socket = get_plugin_socket(zmq.Context(), int(sys.argv[1]), "127.0.0.1")
      sys.stdin.readline()
      events = [get_next_msg(socket).decode() for _ in range(int(sys.argv[2]))]
      print(events[0])
      print(events[-1])
      send_quit_command(socket)
      socket.close(linger=1000)
      """;

  @Test
  void aSlowExternalPluginKeepsTheFirstTwoThousandEventsAndTheRestAreCounted() throws Throwable {
    int port = FreePorts.next();
    CountDownLatch published = new CountDownLatch(1);
    App app =
        new App(FreePorts.next(), FreePorts.next())
            .registerPlugin(
                TestPlugin.of(
                    "burst",
                    (pub, in) -> {
                      // Published before the Python process reads anything: the queue was in
                      // place before any plugin started (the barrier covers external plugins).
                      for (int i = 0; i < 2_500; i++) {
                        pub.publish(("TypeA" + i).getBytes(UTF_8));
                      }
                      published.countDown();
                    }))
            .registerExternalPlugin(ExternalPlugin.of("py", port, TYPE_A));
    try (PythonPlugin python = PythonPlugin.start(LATE_READER, port, 2_000)) {
      RunningApp running = RunningApp.start(app);
      published.await();
      QueueStats stats = app.queueStats().get(1);
      assertEquals("py", stats.plugin());
      assertEquals(500, stats.dropped());
      assertEquals(2_000, stats.queued());
      python.send("go");
      assertEquals("TypeA0", python.nextLine());
      assertEquals("TypeA1999", python.nextLine());
      assertEquals(0, python.exitCode(), String.join("\n", python.output()));
      running.await();
    }
    assertEquals(500, app.droppedEvents());
  }
}
