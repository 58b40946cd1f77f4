package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalCommandTest {
  @TempDir Path dir;

  /** A Python peer: prints its port, then what {@code script} prints. */
  private record Peer(Process process, BufferedReader out, int port) implements AutoCloseable {
    static Peer start(String script) throws Exception {
      Process p = new ProcessBuilder("python3", "-c", script).start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String port = out.readLine();
      assertTrue(port != null && port.matches("\\d+"), "the peer's port, got " + port);
      return new Peer(p, out, Integer.parseInt(port));
    }

    String received() throws Exception {
      String line = out.readLine();
      assertTrue(process.waitFor(10, TimeUnit.SECONDS));
      return line;
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static final String UDP_RECEIVER =
      """
      import socket
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.bind(("127.0.0.1", 0))
      print(s.getsockname()[1], flush=True)
      data, _ = s.recvfrom(65536)
      print(data.decode("utf-8") + "|" + str(len(data)), flush=True)
      """;

  private static final String TCP_SERVICE =
      """
      import socket
      s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
      s.bind(("127.0.0.1", 0))
      s.listen(1)
      print(s.getsockname()[1], flush=True)
      c, _ = s.accept()
      line = c.makefile("rb").readline()
      REPLY
      print(line.decode("utf-8").rstrip("\\n"), flush=True)
      c.close()
      """;

  private final String me = "<" + SignalCommand.hostName() + ":ed_signal ";

  @Test
  void udpSendsOneDatagramWithoutANewline() throws Exception {
    try (Peer peer = Peer.start(UDP_RECEIVER)) {
      CapturedRun run =
          CapturedRun.of("signal", "--host", "127.0.0.1:" + peer.port(), "snaprfs/LOG_ROTATE");
      assertEquals(0, run.exit(), run.err());
      String expected = me + "snaprfs/LOG_ROTATE";
      assertEquals(expected + "|" + expected.length(), peer.received());
    }
  }

  @Test
  void parametersAndTheSecretCodeTravelInTheDatagram() throws Exception {
    try (Peer peer = Peer.start(UDP_RECEIVER)) {
      CapturedRun run =
          CapturedRun.of(
              "signal",
              "--host",
              "127.0.0.1:" + peer.port(),
              "--secret-code",
              "s3cret",
              "--param",
              "level=7",
              "--param",
              "flag",
              "--server",
              "alpha",
              "--service",
              "beta",
              "PING");
      assertEquals(0, run.exit(), run.err());
      String expected = me + "alpha:beta/PING flag=;level=7;secret_code=s3cret";
      assertEquals(expected + "|" + expected.length(), peer.received());
    }
  }

  @Test
  void tcpWaitsForTheReplyAndPrintsItWhenAsked() throws Exception {
    try (Peer peer = Peer.start(TCP_SERVICE.replace("REPLY", "c.sendall(b'ABSOLUTELY\\n')"))) {
      CapturedRun run =
          CapturedRun.of(
              "signal",
              "--type",
              "tcp",
              "--reply",
              "--host",
              "127.0.0.1:" + peer.port(),
              "server1:snapdbproxy/ALIVE");
      assertEquals(0, run.exit(), run.err());
      assertEquals(List.of("ABSOLUTELY"), run.lines());
      assertEquals(me + "server1:snapdbproxy/ALIVE", peer.received());
    }
  }

  @Test
  void aTcpPeerThatHangsUpWithoutAReplyIsAnError() throws Exception {
    try (Peer peer = Peer.start(TCP_SERVICE.replace("REPLY", "pass"))) {
      CapturedRun run =
          CapturedRun.of("signal", "--type", "tcp", "--host", "127.0.0.1:" + peer.port(), "STOP");
      assertEquals(1, run.exit());
      assertEquals(1, run.errLines().size(), run.err());
      assertTrue(run.err().contains("closed the connection without a reply"), run.err());
      peer.received();
    }
  }

  @Test
  void theHostCanComeFromASettingsFile() throws Exception {
    try (Peer peer = Peer.start(UDP_RECEIVER)) {
      Path settings = dir.resolve("fluid-settings.conf");
      Files.writeString(
          settings, "# settings\n[server]\nlisten = \"127.0.0.1:" + peer.port() + "\"\n");
      CapturedRun run = CapturedRun.of("signal", "--host", settings + "@listen", "RELOAD");
      assertEquals(0, run.exit(), run.err());
      assertTrue(peer.received().startsWith(me + "RELOAD|"));
      CapturedRun missing = CapturedRun.of("signal", "--host", settings + "@nope", "RELOAD");
      assertEquals(1, missing.exit());
      assertEquals(
          List.of("herald signal: variable \"nope\" not found in \"" + settings + "\"."),
          missing.errLines());
    }
  }

  @Test
  void mistakesAreOneLine() {
    CapturedRun twice = CapturedRun.of("signal", "--service", "x", "snaprfs/LOG_ROTATE");
    assertEquals(1, twice.exit());
    assertEquals(1, twice.errLines().size(), twice.err());
    assertTrue(twice.err().contains("named both in the message and with --service"), twice.err());
    CapturedRun lower = CapturedRun.of("signal", "LOG ROTATE");
    assertEquals(1, lower.exit());
    assertTrue(lower.err().startsWith("herald signal: bad message: "), lower.err());
    CapturedRun type = CapturedRun.of("signal", "--type", "sctp", "STOP");
    assertEquals(1, type.exit(), "a bad option is an error like any other, as upstream");
    assertEquals(1, type.errLines().size(), type.err());
  }

  @Test
  void hostNamesBecomeValidMessageNames() {
    assertEquals("build_7_example", SignalCommand.asMessageName("build-7.example"));
    assertEquals("_lives", SignalCommand.asMessageName("9lives"));
    assertEquals("myhost", SignalCommand.asMessageName("myhost"));
  }
}
