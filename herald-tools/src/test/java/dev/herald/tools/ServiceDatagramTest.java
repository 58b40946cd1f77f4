package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald service} with datagram listeners, a secret code, a log file and the logrotate
 * listener: a child JVM driven by a Python client (stdlib sockets) and by {@code herald signal}.
 */
@Timeout(90)
class ServiceDatagramTest {
  /**
   * {@code python3 -c CLIENT udp|unixgram ADDRESS REPLIES LINE...}: sends each line as one datagram
   * ({@code {me}} replaced by the client's own address), then prints the first REPLIES datagrams
   * that come back. Replies arrive in the order of the messages, so a reply that should not have
   * been sent shows up before the expected ones.
   */
  private static final String CLIENT =
      """
      import os, socket, sys
      kind, where, replies, lines = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
      if kind == 'udp':
          host, port = where.rsplit(':', 1)
          to = (host, int(port))
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
          s.bind(('127.0.0.1', 0))
          me = '127.0.0.1:%d' % s.getsockname()[1]
      else:
          to = '\\0' + where[1:] if where.startswith('@') else where
          s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
          name = 'herald-dgram-client-%d' % os.getpid()
          s.bind('\\0' + name)
          me = '@' + name
      s.settimeout(20)
      for line in lines:
          s.sendto(line.replace('{me}', me).encode(), to)
      for _ in range(replies):
          print(s.recv(65536).decode(), flush=True)
      """;

  @TempDir Path dir;

  private static List<String> python(String kind, String where, int replies, String... lines)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("python3", "-c", CLIENT, kind, where, Integer.toString(replies)));
    command.addAll(List.of(lines));
    Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> out =
        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))
            .lines()
            .toList();
    assertTrue(client.waitFor(30, TimeUnit.SECONDS), "the python client ends");
    assertEquals(0, client.exitValue(), String.join("\n", out));
    return out;
  }

  private static String after(String uri, String prefix) {
    assertTrue(uri.startsWith(prefix), uri);
    return uri.substring(prefix.length());
  }

  @Test
  void datagramListenersAnswerOnlyMessagesWithTheCodeThatNameAReplyAddress() throws Exception {
    Path socket = dir.resolve("dgram.sock");
    Path log = dir.resolve("service.log");
    String name = "@herald-dgram-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (ServiceProcess service =
        ServiceProcess.start(
            dir,
            "--listen",
            "udp://127.0.0.1:0",
            "--listen",
            "unixgram:" + socket,
            "--listen",
            "unixgram:" + name,
            "--secret-code",
            "s3cret",
            "--log",
            log.toString())) {
      assertEquals(3, service.listening.size(), service.listening.toString());
      String udp = after(service.listening.get(0), "udp://127.0.0.1:");
      assertFalse(udp.equals("0"), "the real port is printed");
      assertEquals("unixgram:" + socket, service.listening.get(1));
      assertEquals("unixgram:" + name, service.listening.get(2));
      for (String[] to :
          List.of(
              new String[] {"udp", "127.0.0.1:" + udp},
              new String[] {"unixgram", socket.toString()},
              new String[] {"unixgram", name})) {
        List<String> replies =
            python(
                to[0],
                to[1],
                2,
                "ECHO n=1;reply_to={me}", // no code: dropped
                "ECHO n=2;secret_code=wrong;reply_to={me}", // wrong code: dropped
                "ECHO n=3;secret_code=s3cret", // no reply address: not answered
                "ECHO n=4;secret_code=s3cret;reply_to={me}",
                "ALIVE serial=5;secret_code=s3cret;reply_to={me}");
        // Replies carry the listener's code, as everything its connection sends.
        assertEquals("ECHOED n=4;secret_code=s3cret", replies.get(0), to[0] + ": " + replies);
        assertTrue(replies.get(1).startsWith("ABSOLUTELY "), to[0] + ": " + replies);
        assertTrue(replies.get(1).contains("serial=5"), to[0] + ": " + replies);
      }
      python("udp", "127.0.0.1:" + udp, 0, "STOP secret_code=s3cret");
      assertEquals(0, service.exitWithin(10_000), "STOP over UDP ends it with 0");
      assertFalse(Files.exists(socket), "the Unix datagram socket file is removed");
    }
    String lines = Files.readString(log);
    assertTrue(lines.contains("stopping: STOP received"), lines);
    // Each dropped two for the code; the UDP one also took the STOP.
    assertTrue(lines.contains("received=6, dispatched=4, wrongSecretCode=2,"), lines);
    assertEquals(2, count(lines, "received=5, dispatched=3, wrongSecretCode=2,"), lines);
  }

  @Test
  void logRotateOverTheLogrotateListenerReopensTheRenamedLog() throws Exception {
    Path log = dir.resolve("service.log");
    Path rotated = dir.resolve("service.log.1");
    try (ServiceProcess service =
        ServiceProcess.start(
            dir,
            "--listen",
            "tcp://127.0.0.1:0",
            "--log",
            log.toString(),
            "--logrotate-listen",
            "127.0.0.1:0",
            "--logrotate-secret",
            "r0tate")) {
      String line = service.listening.get(1);
      assertTrue(line.endsWith(" (logrotate)"), line);
      String port = line.substring(line.lastIndexOf(':') + 1, line.indexOf(' '));
      Files.move(log, rotated);
      // Without the code, the datagram is dropped; with it, the log is reopened.
      CapturedRun dropped = CapturedRun.of("signal", "--host", "127.0.0.1:" + port, "LOG_ROTATE");
      assertEquals(0, dropped.exit(), dropped.err());
      CapturedRun sent =
          CapturedRun.of(
              "signal", "--host", "127.0.0.1:" + port, "--secret-code", "r0tate", "LOG_ROTATE");
      assertEquals(0, sent.exit(), sent.err());
      waitFor(log, "log reopened on LOG_ROTATE");
      // LOG_ROTATE on an ordinary listener reopens it too.
      Files.move(log, dir.resolve("service.log.2"));
      String tcp = after(service.listening.get(0), "tcp://127.0.0.1:");
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(tcp))) {
        client.getOutputStream().write("LOG_ROTATE\nALIVE\n".getBytes(StandardCharsets.UTF_8));
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String reply = in.readLine(); // LOG_ROTATE has none: ALIVE's comes once it is done
        assertTrue(reply != null && reply.startsWith("ABSOLUTELY"), reply);
      }
      waitFor(log, "log reopened on LOG_ROTATE");
      service.signal("TERM");
      assertEquals(0, service.exitWithin(10_000), "SIGTERM ends it with 0");
    }
    String first = Files.readString(rotated);
    assertTrue(first.contains("starting service"), first);
    assertEquals(1, count(first, "LOG_ROTATE received"), first);
    assertEquals(0, count(first, "log reopened"), first);
    String second = Files.readString(dir.resolve("service.log.2"));
    assertEquals(1, count(second, "log reopened on LOG_ROTATE"), "one reopen only: " + second);
    assertEquals(1, count(second, "LOG_ROTATE received"), second);
    String last = Files.readString(log);
    assertEquals(1, count(last, "log reopened on LOG_ROTATE"), last);
    assertTrue(last.contains("stopping: SIGTERM from pid "), last);
    assertTrue(last.contains("wrongSecretCode=1"), "the datagram without the code: " + last);
  }

  private static long count(String text, String part) {
    return text.lines().filter(l -> l.contains(part)).count();
  }

  /** Waits (up to 20 s) until {@code file} exists and holds a line containing {@code part}. */
  private static void waitFor(Path file, String part) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!(Files.exists(file) && Files.readString(file).contains(part))) {
      assertTrue(System.nanoTime() < deadline, file + " never got '" + part + "'");
      Thread.sleep(20);
    }
  }
}
