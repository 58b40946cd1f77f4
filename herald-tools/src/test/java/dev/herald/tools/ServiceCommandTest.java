package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.communicator.BlockingMessageConnection;
import dev.herald.dispatcher.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald service} as scripts drive it: a child JVM, its {@code listening on} lines, a Python
 * client (stdlib sockets) and the blocking connection on every kind of listener, a hub that is
 * restarted, signals, and bad options.
 */
@Timeout(90)
class ServiceCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * The Python client: {@code python3 -c CLIENT tcp|unix ADDRESS MODE LINE...}. Mode {@code ask}
   * sends each line and prints the reply line; {@code all} sends every line at once and prints what
   * comes back up to the end of stream; {@code flood} sends ECHO lines of 256 KiB without reading
   * until the service drops it, then prints how many it got through.
   */
  private static final String CLIENT =
      """
      import socket, sys
      kind, where, mode, lines = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
      if kind == 'tcp':
          host, port = where.rsplit(':', 1)
          s = socket.create_connection((host, int(port)), timeout=10)
      else:
          s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
          s.settimeout(10)
          s.connect('\\0' + where[1:] if where.startswith('@') else where)
      f = s.makefile('rb')
      def encoded(line):  # BIG:N is an ECHO line of N bytes (an argument holds 128 KiB at most)
          if line.startswith('BIG:'):
              return b'ECHO x=' + b'x' * (int(line[4:]) - 7) + b'\\n'
          return line.encode() + b'\\n'
      if mode == 'ask':
          for line in lines:
              s.sendall(encoded(line))
              print(f.readline().decode().rstrip('\\n'), flush=True)
      elif mode == 'all':
          try:
              s.sendall(b''.join(encoded(l) for l in lines))
              for reply in f:
                  print(reply.decode().rstrip('\\n'), flush=True)
          except OSError:
              pass  # a reset instead of an orderly end: the same end for this client
          print('EOF')
      else:
          line = b'ECHO x=' + b'a' * (256 * 1024) + b'\\n'
          sent = 0
          try:
              for _ in range(256):
                  s.sendall(line)
                  sent += 1
          except OSError as e:
              print('dropped after', sent, type(e).__name__)
          else:
              print('never dropped after', sent)
      """;

  @TempDir Path dir;

  private static List<String> python(String kind, String where, String mode, String... lines)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", "-c", CLIENT, kind, where, mode));
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

  /** Kind and address of a listening URI, for the Python client. */
  private static String[] target(String uri) {
    return uri.startsWith("tcp://")
        ? new String[] {"tcp", uri.substring("tcp://".length())}
        : new String[] {"unix", uri.substring("unix:".length())};
  }

  private String abstractName() {
    return "@herald-service-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  }

  @Test
  void answersOnEveryListenerAndStopsOnStopAfterItsLastReply() throws Exception {
    Path socket = dir.resolve("service.sock");
    String name = abstractName();
    try (ServiceProcess service =
        ServiceProcess.start(
            dir,
            "--listen",
            "tcp://127.0.0.1:0",
            "--listen",
            "unix:" + socket,
            "--listen",
            "unix:" + name)) {
      List<String> uris = service.listening;
      assertEquals(3, uris.size(), uris.toString());
      assertTrue(uris.get(0).matches("tcp://127\\.0\\.0\\.1:\\d+"), uris.get(0));
      assertNotEquals("tcp://127.0.0.1:0", uris.get(0));
      assertEquals(List.of("unix:" + socket, "unix:" + name), uris.subList(1, 3));
      assertTrue(Files.exists(socket));

      for (String uri : uris) {
        String[] to = target(uri);
        List<String> replies =
            python(
                to[0],
                to[1],
                "ask",
                "HELP",
                "ALIVE serial=5",
                "ECHO a=1;b=two",
                "FROBNICATE",
                "ALIVE timestamp=yesterday",
                "MSG a-b",
                "ALIVE");
        assertEquals(7, replies.size(), uri + ": " + replies);
        assertTrue(replies.get(0).startsWith("COMMANDS list=ALIVE,ECHO,HELP,"), replies.get(0));
        assertTrue(
            replies.get(1).matches("ABSOLUTELY reply_timestamp=\\d+\\.\\d{9};serial=5"),
            replies.get(1));
        assertEquals("ECHOED a=1;b=two", replies.get(2));
        assertEquals("UNKNOWN command=FROBNICATE", replies.get(3));
        assertTrue(replies.get(4).startsWith("INVALID command=ALIVE;message="), replies.get(4));
        assertTrue(replies.get(5).startsWith("INVALID message="), replies.get(5));
        assertTrue(replies.get(6).startsWith("ABSOLUTELY"), "the connection lives on");
      }

      try (BlockingMessageConnection client =
          BlockingMessageConnection.connect(ServiceUri.parse(uris.get(0)).address(), WAIT)) {
        Message echoed =
            client.request(
                new Message().setCommand("ECHO").addParameter("text", "hello there"), WAIT);
        assertEquals("ECHOED", echoed.command());
        assertEquals("hello there", echoed.parameter("text"));
      }

      // A reply asked before STOP, in the same write, is still written before the end.
      String[] unix = target(uris.get(1));
      assertEquals(
          List.of("ABSOLUTELY serial=1", "EOF"),
          python(unix[0], unix[1], "all", "ALIVE serial=1", "STOP").stream()
              .map(l -> l.replaceFirst("reply_timestamp=[0-9.]+;", ""))
              .toList());
      assertEquals(0, service.exitWithin(2_000), "STOP ends it with status 0 within 2 s");
      assertFalse(Files.exists(socket), "its Unix socket file is removed");
      assertNoTrace(service.err());
    }
  }

  @Test
  void linesUpToOneMebibyteAreAnsweredLongerOnesAndNonReadersAreDropped() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(dir, "--listen", "tcp://127.0.0.1:0")) {
      String[] to = target(service.listening.getFirst());
      String big = "x".repeat((1 << 20) - "ECHO x=".length());
      List<String> replies = python(to[0], to[1], "ask", "BIG:" + (1 << 20));
      assertEquals(List.of("ECHOED x=" + big), replies);
      List<String> tooLong = python(to[0], to[1], "all", "BIG:" + ((1 << 20) + 1), "ALIVE");
      assertEquals(List.of("EOF"), tooLong, "a longer line closes the connection, unanswered");
      List<String> flood = python(to[0], to[1], "flood");
      assertTrue(flood.getFirst().startsWith("dropped after"), flood.toString());
      assertTrue(
          python(to[0], to[1], "ask", "ALIVE").getFirst().startsWith("ABSOLUTELY"),
          "the service lives on");
      service.signal("TERM");
      assertEquals(0, service.exitWithin(2_000));
    }
  }

  @Test
  void sigtermAndSigintStopItCleanlyWithStatusZero() throws Exception {
    stopsOnSignals(Map.of(), "(signal connection)");
  }

  @Test
  void withoutTheReexecTheShutdownHookStopsItCleanly() throws Exception {
    stopsOnSignals(Map.of(StopSignalRoute.MARKER, "no"), "SIGINT or SIGTERM (JVM shutdown hook)");
  }

  /** SIGTERM and SIGINT end the service with 0, and its log says which route they took. */
  private void stopsOnSignals(Map<String, String> environment, String route) throws Exception {
    for (String signal : List.of("TERM", "INT")) {
      Path socket = dir.resolve(signal + ".sock");
      Path log = dir.resolve(signal + ".log");
      try (ServiceProcess service =
          ServiceProcess.start(
              dir,
              environment,
              "--listen",
              "unix:" + socket,
              "--listen",
              "tcp://127.0.0.1:0",
              "--log",
              log.toString())) {
        String[] to = target(service.listening.getFirst());
        assertTrue(python(to[0], to[1], "ask", "ALIVE").getFirst().startsWith("ABSOLUTELY"));
        // A client that stays connected does not hold the stop up.
        try (Socket idle = new Socket()) {
          idle.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port(service, 1)));
          service.signal(signal);
          assertEquals(0, service.exitWithin(2_000), signal + " ends it with 0 within 2 s");
        }
        assertFalse(Files.exists(socket), signal + ": the Unix socket file is removed");
        assertNoTrace(service.err());
      }
      String lines = Files.readString(log);
      String stopping =
          route.startsWith("(")
              ? "stopping: SIG" + signal + " from pid "
              : "stopping: SIGINT or SIGTERM";
      assertTrue(lines.contains(stopping), lines);
      assertTrue(lines.contains(route), lines);
      assertTrue(lines.strip().endsWith("stopped"), lines);
    }
  }

  private static int port(ServiceProcess service, int listener) {
    String uri = service.listening.get(listener);
    return Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
  }

  @Test
  void registersWithItsHubOnEveryConnectionAndAnswersIt() throws Exception {
    int port;
    ServiceProcess service;
    try (ServerSocket hub = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      port = hub.getLocalPort();
      service =
          ServiceProcess.start(
              dir,
              "--name",
              "test_service",
              "--hub",
              "tcp://127.0.0.1:" + port,
              "--reconnect",
              "0.2");
      hub.setSoTimeout(10_000);
      try (Socket peer = hub.accept()) {
        peer.setSoTimeout(10_000);
        BufferedReader in = reader(peer);
        assertEquals("REGISTER service=test_service;version=1", in.readLine());
        send(peer, "ALIVE serial=9");
        assertTrue(in.readLine().matches("ABSOLUTELY reply_timestamp=[0-9.]+;serial=9"));
      }
    }
    try (service;
        ServerSocket restarted = new ServerSocket()) {
      restarted.setReuseAddress(true);
      restarted.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      restarted.setSoTimeout(10_000);
      try (Socket peer = restarted.accept()) {
        peer.setSoTimeout(10_000);
        BufferedReader in = reader(peer);
        assertEquals("REGISTER service=test_service;version=1", in.readLine(), "registers again");
        send(peer, "ECHO n=2");
        assertEquals("ECHOED n=2", in.readLine());
        send(peer, "STOP");
        assertEquals(0, service.exitWithin(2_000), "STOP from the hub ends it");
        assertNoTrace(service.err());
      }
    }
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    return new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void send(Socket socket, String line) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void assertNoTrace(String err) {
    assertFalse(err.contains("\tat "), err);
    assertFalse(err.contains("Exception"), err);
  }

  @Test
  void badOptionsAreOneUsageLineWithExitTwo() throws IOException {
    Path pem = Files.writeString(dir.resolve("cert.pem"), "not checked here");
    List<List<String>> bad =
        List.of(
            List.of(),
            List.of("--listen", "http://127.0.0.1:80"),
            List.of("--listen", "tcp://127.0.0.1"),
            List.of("--listen", "tcp://127.0.0.1:70000"),
            List.of("--listen", "tcp://[::1]"),
            List.of("--listen", "unix:"),
            List.of("--listen", "unix:@" + "n".repeat(200)),
            List.of("--listen", "tls://127.0.0.1:0"),
            List.of("--listen", "tcp://127.0.0.1:0", "--tls-cert", pem.toString()),
            List.of("--listen", "tcp://127.0.0.1:0", "--tls-key", pem.toString()),
            List.of(
                "--listen",
                "tls://127.0.0.1:0",
                "--tls-cert",
                pem.toString(),
                "--tls-key",
                dir.resolve("missing.pem").toString()),
            List.of("--hub", "tcp://127.0.0.1:0"),
            List.of("--hub", "tcp://127.0.0.1:1", "--reconnect", "soon"),
            List.of("--listen", "tcp://127.0.0.1:0", "--name", "bad name"),
            List.of("--listen", "udp://127.0.0.1"),
            List.of("--listen", "unixgram:"),
            List.of("--hub", "udp://127.0.0.1:4041"),
            List.of("--listen", "udp://127.0.0.1:0", "--logrotate-listen", "/tmp/x.sock"),
            List.of("--listen", "udp://127.0.0.1:0", "--logrotate-listen", "127.0.0.1:99999"));
    for (List<String> args : bad) {
      List<String> all = new ArrayList<>(List.of("service"));
      all.addAll(args);
      CapturedRun r = CapturedRun.of(all.toArray(String[]::new));
      assertEquals(2, r.exit(), args + ": " + r.err());
      assertEquals(1, r.errLines().size(), args + ": one line on stderr:\n" + r.err());
      assertTrue(r.err().startsWith("herald service: "), r.err());
      assertTrue(r.err().contains("--help"), r.err());
      assertEquals("", r.out(), args + ": nothing on stdout");
    }
  }

  @Test
  void runtimeFailuresAreOneLineWithExitOneAndLeaveNothingBehind() throws IOException {
    Path pem = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path socket = dir.resolve("first.sock");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(busy.getLocalPort());
      CapturedRun r =
          CapturedRun.of(
              "service", "--listen", "unix:" + socket, "--listen", "tcp://127.0.0.1:" + port);
      assertEquals(1, r.exit(), r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(r.err().startsWith("herald service: "), r.err());
      assertTrue(r.err().contains("127.0.0.1:" + port), r.err());
      assertTrue(r.err().contains("EADDRINUSE"), r.err());
      assertFalse(Files.exists(socket), "the listener opened first is closed and its file gone");
    }
    CapturedRun tls =
        CapturedRun.of(
            "service",
            "--listen",
            "tls://127.0.0.1:0",
            "--tls-cert",
            pem.toString(),
            "--tls-key",
            pem.toString());
    assertEquals(1, tls.exit(), tls.err());
    assertEquals(1, tls.errLines().size(), tls.err());
    assertTrue(tls.err().startsWith("herald service: "), tls.err());
    assertTrue(tls.err().contains(pem.toString()), "names the file that is no PEM: " + tls.err());
    CapturedRun nowhere =
        CapturedRun.of("service", "--listen", "unix:" + dir.resolve("no/such/dir/x.sock"));
    assertEquals(1, nowhere.exit(), nowhere.err());
    assertEquals(1, nowhere.errLines().size(), nowhere.err());
    Path missing = dir.resolve("no/such/dir/service.log");
    CapturedRun noLog =
        CapturedRun.of("service", "--listen", "udp://127.0.0.1:0", "--log", missing.toString());
    assertEquals(1, noLog.exit(), noLog.err());
    assertEquals(1, noLog.errLines().size(), noLog.err());
    assertTrue(noLog.err().contains(missing.toString()), noLog.err());
  }

  /** A Python TLS client that trusts {@code cafile}: prints each reply line, then the protocol. */
  private static final String TLS_CLIENT =
      """
      import socket, ssl, sys
      context = ssl.create_default_context(cafile=sys.argv[1])
      with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=20) as raw:
          with context.wrap_socket(raw, server_hostname="127.0.0.1") as s:
              s.sendall(b"ALIVE\\nECHO a=1;b=two\\n")
              lines = s.makefile("rb")
              print(lines.readline().decode().rstrip())
              print(lines.readline().decode().rstrip())
              print(s.version())
      """;

  @Test
  void tlsListenersAnswerAVerifyingPythonClient() throws Exception {
    Path store = TestCertificates.keyStore(dir, "service", -1, 30);
    Path cert = TestCertificates.certificatePem(dir, store);
    Path key = TestCertificates.privateKeyPem(dir, store);
    try (ServiceProcess service =
        ServiceProcess.start(
            dir,
            "--listen",
            "tls://127.0.0.1:0",
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString())) {
      assertTrue(service.listening.getFirst().startsWith("tls://127.0.0.1:"));
      Process client =
          new ProcessBuilder(
                  "python3", "-c", TLS_CLIENT, cert.toString(), Integer.toString(port(service, 0)))
              .redirectErrorStream(true)
              .start();
      List<String> out =
          new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))
              .lines()
              .toList();
      assertTrue(client.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, client.exitValue(), String.join("\n", out));
      assertTrue(out.get(0).startsWith("ABSOLUTELY"), out.toString());
      assertEquals("ECHOED a=1;b=two", out.get(1));
      assertTrue(out.get(2).equals("TLSv1.3") || out.get(2).equals("TLSv1.2"), out.toString());
    }
  }

  @Test
  void aTlsHubNeedsNoCertificateOfItsOwn() throws Exception {
    Path store = TestCertificates.keyStore(dir, "hub", -1, 30);
    try (javax.net.ssl.SSLServerSocket hub = TestCertificates.serverSocket(store);
        ServiceProcess service =
            ServiceProcess.start(
                dir, "--name", "tls_client", "--hub", "tls://127.0.0.1:" + hub.getLocalPort())) {
      hub.setSoTimeout(10_000);
      try (Socket peer = hub.accept()) {
        peer.setSoTimeout(10_000);
        BufferedReader in = reader(peer);
        assertEquals("REGISTER service=tls_client;version=1", in.readLine());
        send(peer, "STOP");
        assertEquals(0, service.exitWithin(2_000), "STOP from the TLS hub ends it");
      }
    }
  }

  @Test
  void aHubThatStopsReadingDoesNotHoldTheStopUp() throws Exception {
    try (ServerSocket hub = new ServerSocket()) {
      hub.setReceiveBufferSize(
          4096); // accepted sockets take it: the replies pile up at the service
      hub.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      hub.setSoTimeout(10_000);
      try (ServiceProcess service =
              ServiceProcess.start(dir, "--hub", "tcp://127.0.0.1:" + hub.getLocalPort());
          Socket peer = hub.accept()) {
        peer.setSoTimeout(10_000);
        assertTrue(reader(peer).readLine().startsWith("REGISTER "));
        String big = "ECHO x=" + "y".repeat(10_000);
        for (int i = 0; i < 100; i++) {
          send(peer, big); // about 1 MB of replies the hub never reads
        }
        send(peer, "STOP");
        assertEquals(0, service.exitWithin(2_000), "the hub is cut after the grace period");
        assertNoTrace(service.err());
      }
    }
  }
}
