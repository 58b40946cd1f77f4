package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS over real loopback TCP, with a certificate made by keytool: handshakes, messages both ways,
 * megabytes both ways with back-pressure, SNI, the modes, refused and broken peers, and interop
 * with the JDK's own SSL sockets.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsTest {
  private static final TestCertificate CERTIFICATE = TestCertificate.localhost();

  private final Loop loop = new Loop();
  private final Dispatcher service = new Dispatcher();
  private final TlsSettings serverTls =
      TlsSettings.server(CERTIFICATE.certificate(), CERTIFICATE.key());
  private final LinkedBlockingQueue<CommunicatorException> serverEnds = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<MessageConnection> serverSide = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> closeLast = new ArrayList<>();

  TlsTest() {
    DefaultCommands.install(service, new ServiceHooks() {});
    service.addMatch(
        DispatcherMatch.command(
            "ECHO",
            m ->
                service.reply(
                    m,
                    new Message().setCommand("ECHOED").addParameter("text", m.parameter("text")))));
  }

  @AfterEach
  void close() throws Exception {
    try {
      loop.close();
    } finally {
      for (AutoCloseable each : closeLast) {
        each.close();
      }
    }
  }

  private static final CommunicatorException NONE =
      new CommunicatorException(CommunicatorException.Kind.CLOSED, "orderly end");

  /** A TLS listener of message clients of the test service, on a free loopback port. */
  private SocketAddress listenTls() {
    return loop.call(
            () ->
                StreamListener.listen(
                    loop.communicator,
                    "tls",
                    SocketAddress.parse("127.0.0.1:0"),
                    (listener, client) -> {
                      MessageConnection connection =
                          MessageConnection.open(
                              loop.communicator,
                              "client",
                              serverTls.serverTransport(client),
                              service);
                      connection.onClosed(
                          (c, failure) -> serverEnds.add(failure == null ? NONE : failure));
                      serverSide.add(connection);
                    }))
        .address();
  }

  /** Connects a message connection with {@code tls} to {@code address}, without blocking. */
  private CompletableFuture<MessageConnection> connect(
      SocketAddress address,
      TlsSettings tls,
      Dispatcher dispatcher,
      CompletableFuture<CommunicatorException> ended) {
    return connect(address, tls, dispatcher, ended, c -> {});
  }

  /** The same, with {@code opened} run on the loop thread as soon as the connection is open. */
  private CompletableFuture<MessageConnection> connect(
      SocketAddress address,
      TlsSettings tls,
      Dispatcher dispatcher,
      CompletableFuture<CommunicatorException> ended,
      Consumer<MessageConnection> opened) {
    CompletableFuture<MessageConnection> connected = new CompletableFuture<>();
    loop.run(
        () ->
            ConnectAttempt.start(
                loop.communicator,
                "to-server",
                address,
                5_000_000,
                new ConnectAttempt.Handler() {
                  @Override
                  public void connected(ConnectAttempt attempt, Socket socket) {
                    MessageConnection connection =
                        MessageConnection.open(
                            loop.communicator,
                            "to-server",
                            tls.clientTransport(socket),
                            dispatcher);
                    connection.onClosed((c, failure) -> ended.complete(failure));
                    opened.accept(connection);
                    connected.complete(connection);
                  }

                  @Override
                  public void failed(ConnectAttempt attempt, CommunicatorException failure) {
                    connected.completeExceptionally(failure);
                  }
                }));
    return connected;
  }

  /** A dispatcher that hands each message to {@code received}. */
  private static Dispatcher collecting(LinkedBlockingQueue<Message> received) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.addMatch(DispatcherMatch.catchAll(received::add));
    return dispatcher;
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  private static Message next(LinkedBlockingQueue<Message> queue) throws InterruptedException {
    Message message = queue.poll(20, TimeUnit.SECONDS);
    assertNotNull(message, "no message within 20 s");
    return message;
  }

  private static CommunicatorException nextEnd(LinkedBlockingQueue<CommunicatorException> ends)
      throws InterruptedException {
    CommunicatorException end = ends.poll(20, TimeUnit.SECONDS);
    assertNotNull(end, "the server-side connection did not end within 20 s");
    return end;
  }

  private TlsSettings verifyingClient() {
    return TlsSettings.builder(TlsMode.ALWAYS_SECURE)
        .trust(CERTIFICATE.certificate())
        .serverName("localhost")
        .build();
  }

  private SSLContext jdkContext() throws Exception {
    KeyStore store = CERTIFICATE.keyStore();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, CERTIFICATE.password());
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  /** A JDK SSLSocket client gets ALIVE answered: the server is alive and speaks TLS. */
  private void assertServedByJdkClient(SocketAddress address) throws Exception {
    SocketAddress.Inet4 ip = (SocketAddress.Inet4) address;
    try (SSLSocket socket =
        (SSLSocket)
            jdkContext()
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), ip.port())) {
      socket.setSoTimeout(20_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write("ALIVE serial=1\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String reply = in.readLine();
      assertNotNull(reply);
      assertTrue(reply.startsWith("ABSOLUTELY reply_timestamp="), reply);
      assertTrue(
          socket.getSession().getProtocol().equals("TLSv1.3")
              || socket.getSession().getProtocol().equals("TLSv1.2"));
    }
  }

  @Test
  void messagesGoBothWaysOverAPermanentTlsConnectionWithSni() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    LinkedBlockingQueue<Message> atClient = new LinkedBlockingQueue<>();
    Dispatcher client = collecting(atClient);
    PermanentMessageConnection hub =
        loop.call(
            () ->
                PermanentMessageConnection.open(
                    loop.communicator,
                    "hub",
                    List.of(address),
                    PauseDurations.parse("1"),
                    client,
                    verifyingClient()));

    // Sent before the connection and the handshake: cached, then kept until the handshake is done.
    assertTrue(hub.sendMessage(new Message().setCommand("ECHO").addParameter("text", "a;b"), true));

    Message echoed = next(atClient);
    assertEquals("ECHOED", echoed.command());
    assertEquals("a;b", echoed.parameter("text"));

    // The other way: the server asks, the client answers.
    MessageConnection server = serverSide.poll(20, TimeUnit.SECONDS);
    assertNotNull(server);
    client.addMatch(
        DispatcherMatch.command(
            "PING", m -> client.reply(m, new Message().setCommand("PONG").addParameter("n", 7))));
    LinkedBlockingQueue<Message> atServer = new LinkedBlockingQueue<>();
    service.addMatch(DispatcherMatch.command("PONG", atServer::add));
    assertTrue(server.sendMessage(new Message().setCommand("PING")));
    assertEquals("7", next(atServer).parameter("n"));

    TlsTransport serverTransport = (TlsTransport) server.stream().transport();
    TlsTransport clientTransport =
        loop.call(() -> (TlsTransport) hub.messenger().orElseThrow().stream().transport());
    assertEquals("localhost", loop.call(() -> serverTransport.requestedServerName().orElse("")));
    assertTrue(loop.call(clientTransport::isPeerVerified));
    assertEquals(
        loop.call(() -> clientTransport.protocol().orElse("")),
        loop.call(() -> serverTransport.protocol().orElse("")));
    assertTrue(loop.call(() -> clientTransport.protocol().orElse("")).matches("TLSv1\\.[23]"));
  }

  @Test
  void aPermanentConnectionCountsAFailedHandshakeAsAFailedAttempt() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    LinkedBlockingQueue<CommunicatorException> failures = new LinkedBlockingQueue<>();
    PermanentMessageConnection hub =
        loop.call(
            () -> {
              PermanentMessageConnection opened =
                  PermanentMessageConnection.open(
                      loop.communicator,
                      "hub",
                      List.of(address),
                      PauseDurations.parse("5"),
                      new Dispatcher(),
                      TlsSettings.builder(TlsMode.ALWAYS_SECURE).build()); // refuses the server
              opened.onConnectionFailed((c, failure) -> failures.add(failure));
              opened.sendMessage(new Message().setCommand("KEPT"), true);
              return opened;
            });

    CommunicatorException failure = nextEnd(failures);
    assertEquals(CommunicatorException.Kind.TLS_FAILED, failure.kind());
    assertEquals(1, loop.call(hub::cachedMessages)); // kept for the next attempt
    assertFalse(loop.call(hub::isConnected));
  }

  @Test
  void megabytesGoBothWaysDuringAndAfterTheHandshake() throws Exception {
    int half = 4 << 20;
    byte[] data = new byte[2 * half];
    new Random(42).nextBytes(data);
    loop.start();
    // The server echoes every byte back, raw.
    SocketAddress address =
        loop.call(
                () ->
                    StreamListener.listen(
                        loop.communicator,
                        "echo",
                        SocketAddress.parse("127.0.0.1:0"),
                        (listener, client) ->
                            StreamConnection.open(
                                    loop.communicator,
                                    "echo",
                                    serverTls.serverTransport(client),
                                    Framing.raw(),
                                    (stream, bytes, offset, length) ->
                                        stream.write(bytes, offset, length))
                                .setMaximumPendingOutput(64 << 20)))
            .address();
    TlsSettings clientTls = verifyingClient();
    CompletableFuture<byte[]> echoed = new CompletableFuture<>();
    CompletableFuture<Integer> pendingDuringHandshake = new CompletableFuture<>();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    loop.run(
        () ->
            ConnectAttempt.start(
                loop.communicator,
                "sender",
                address,
                5_000_000,
                new ConnectAttempt.Handler() {
                  @Override
                  public void connected(ConnectAttempt attempt, Socket socket) {
                    StreamConnection sender =
                        StreamConnection.open(
                            loop.communicator,
                            "sender",
                            clientTls.clientTransport(socket),
                            Framing.raw(),
                            new StreamHandler() {
                              @Override
                              public void received(
                                  StreamConnection stream, byte[] bytes, int offset, int length) {
                                int before = received.size();
                                received.write(bytes, offset, length);
                                if (before < half && received.size() >= half) {
                                  stream.write(data, half, half); // after the handshake
                                }
                                if (received.size() == data.length) {
                                  echoed.complete(received.toByteArray());
                                  stream.close();
                                }
                              }

                              @Override
                              public void closed(
                                  StreamConnection stream, CommunicatorException failure) {
                                echoed.completeExceptionally(
                                    failure != null
                                        ? failure
                                        : new AssertionError(
                                            "closed after " + received.size() + " bytes"));
                              }
                            });
                    sender.setMaximumPendingOutput(64 << 20);
                    assertTrue(sender.write(data, 0, half)); // the handshake has not even started
                    pendingDuringHandshake.complete(sender.pendingOutput());
                  }

                  @Override
                  public void failed(ConnectAttempt attempt, CommunicatorException failure) {
                    echoed.completeExceptionally(failure);
                  }
                }));

    assertEquals(half, await(pendingDuringHandshake));
    byte[] back = await(echoed);
    CRC32 sent = new CRC32();
    sent.update(data);
    CRC32 got = new CRC32();
    got.update(back);
    assertEquals(sent.getValue(), got.getValue());
    assertArrayEquals(data, back);
  }

  @Test
  void secureAcceptsAnUnverifiedServerWithAWarning() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    LinkedBlockingQueue<Message> atClient = new LinkedBlockingQueue<>();
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new TeeStream(original, log), true, StandardCharsets.UTF_8));
    try {
      // No trust given: the JDK's default CAs do not know the self-signed certificate.
      MessageConnection connection =
          await(
              connect(
                  address,
                  TlsSettings.builder(TlsMode.SECURE).build(),
                  collecting(atClient),
                  new CompletableFuture<>()));
      connection.sendMessage(new Message().setCommand("ALIVE"));
      assertEquals("ABSOLUTELY", next(atClient).command());
      TlsTransport transport = (TlsTransport) connection.stream().transport();
      assertFalse(loop.call(transport::isPeerVerified));
      assertTrue(loop.call(transport::isHandshakeComplete));
    } finally {
      System.setErr(original);
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(
        text.contains("WARN")
            && text.contains("TLS peer 127.0.0.1:")
            && text.contains("cannot be verified")
            && text.contains("SECURE"),
        text);
  }

  @Test
  void alwaysSecureRefusesAnUnverifiedServerAndTheServerGoesOn() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    CompletableFuture<CommunicatorException> ended = new CompletableFuture<>();
    await(
        connect(
            address,
            TlsSettings.builder(TlsMode.ALWAYS_SECURE).build(),
            collecting(new LinkedBlockingQueue<>()),
            ended));

    CommunicatorException refused = await(ended);
    assertNotNull(refused);
    assertEquals(CommunicatorException.Kind.TLS_FAILED, refused.kind());
    assertTrue(refused.getMessage().contains("TLS with " + address), refused.getMessage());
    assertTrue(refused.getMessage().contains("not trusted"), refused.getMessage());
    assertEquals(CommunicatorException.Kind.TLS_FAILED, nextEnd(serverEnds).kind());
    assertServedByJdkClient(address);
  }

  @Test
  void alwaysSecureRefusesAServerWhoseNameIsNotTheCertificates() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    CompletableFuture<CommunicatorException> ended = new CompletableFuture<>();
    TlsSettings wrongName =
        TlsSettings.builder(TlsMode.ALWAYS_SECURE)
            .trust(CERTIFICATE.certificate())
            .serverName("hub.example.com")
            .build();
    await(connect(address, wrongName, collecting(new LinkedBlockingQueue<>()), ended));

    CommunicatorException refused = await(ended);
    assertNotNull(refused);
    assertEquals(CommunicatorException.Kind.TLS_FAILED, refused.kind());
    assertTrue(refused.getMessage().contains("hub.example.com"), refused.getMessage());
  }

  @Test
  void aTls11ClientIsRefusedWithAProtocolVersionAlert() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    Peer client = plainClient(address);

    client.write(tls11ClientHello());

    byte[] answer = client.readToEnd();
    assertTrue(answer.length >= 7, "an alert record, then the end: " + Arrays.toString(answer));
    assertEquals(0x15, answer[0]); // an alert
    assertEquals(70, answer[6]); // protocol_version
    CommunicatorException end = nextEnd(serverEnds);
    assertEquals(CommunicatorException.Kind.TLS_FAILED, end.kind());
    assertTrue(end.getMessage().contains("during the handshake"), end.getMessage());
    assertServedByJdkClient(address);
  }

  @Test
  void aPlaintextClientIsClosedAndTheLoopGoesOn() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    Peer client = plainClient(address);

    client.write("ALIVE serial=1\n");

    String answer = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
    assertFalse(answer.contains("ABSOLUTELY"), answer);
    CommunicatorException end = nextEnd(serverEnds);
    assertEquals(CommunicatorException.Kind.TLS_FAILED, end.kind());
    assertTrue(
        end.getMessage().contains("connection \"client\": TLS with 127.0.0.1:"), end.getMessage());
    assertServedByJdkClient(address);
  }

  @Test
  void aClientThatClosesMidHandshakeEndsItsConnectionOnly() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    Peer client = plainClient(address);

    byte[] hello = tls11ClientHello();
    client.write(Arrays.copyOf(hello, 20)); // the start of a record, no more
    client.closeFd();

    CommunicatorException end = nextEnd(serverEnds);
    assertEquals(CommunicatorException.Kind.TLS_FAILED, end.kind());
    assertTrue(
        end.getMessage().contains("closed the connection before the handshake completed"),
        end.getMessage());
    assertServedByJdkClient(address);
  }

  @Test
  void aServerThatClosesMidHandshakeFailsTheClientClearly() throws Exception {
    loop.start();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform()
          .start(
              () -> {
                try (java.net.Socket accepted = server.accept()) {
                  // The ClientHello arrives, then the server is gone.
                  int ignored = accepted.getInputStream().read(new byte[16 * 1024]);
                  assertTrue(ignored > 0);
                } catch (java.io.IOException e) {
                  // the test sees it on the client side
                }
              });
      SocketAddress address = SocketAddress.parse("127.0.0.1:" + server.getLocalPort());
      CompletableFuture<CommunicatorException> ended = new CompletableFuture<>();
      await(connect(address, verifyingClient(), collecting(new LinkedBlockingQueue<>()), ended));

      CommunicatorException failure = await(ended);
      assertNotNull(failure);
      assertEquals(CommunicatorException.Kind.TLS_FAILED, failure.kind());
      assertTrue(failure.getMessage().contains("TLS with " + address), failure.getMessage());
    }
  }

  @Test
  void ourClientTalksToAJdkSslServerSocket() throws Exception {
    loop.start();
    try (SSLServerSocket server =
        (SSLServerSocket)
            jdkContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> request = new CompletableFuture<>();
      CompletableFuture<Integer> afterClose = new CompletableFuture<>();
      Thread.ofPlatform()
          .start(
              () -> {
                try (java.net.Socket accepted = server.accept()) {
                  accepted.setSoTimeout(20_000);
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(accepted.getInputStream(), StandardCharsets.UTF_8));
                  request.complete(in.readLine());
                  accepted
                      .getOutputStream()
                      .write("ECHOED text=jdk\n".getBytes(StandardCharsets.UTF_8));
                  accepted.getOutputStream().flush();
                  afterClose.complete(in.read()); // -1 once we closed
                } catch (Exception e) {
                  request.completeExceptionally(e);
                  afterClose.completeExceptionally(e);
                }
              });
      SocketAddress address = SocketAddress.parse("127.0.0.1:" + server.getLocalPort());
      LinkedBlockingQueue<Message> atClient = new LinkedBlockingQueue<>();
      CompletableFuture<CommunicatorException> ended = new CompletableFuture<>();
      MessageConnection connection =
          await(connect(address, verifyingClient(), collecting(atClient), ended));

      connection.sendMessage(new Message().setCommand("ECHO").addParameter("text", "jdk"));

      assertEquals("ECHO text=jdk", await(request));
      assertEquals("jdk", next(atClient).parameter("text"));
      loop.run(connection::close);
      assertEquals(-1, await(afterClose));
    }
  }

  @Test
  void closingSaysCloseNotifyAndACutOffPeerIsToldApart() throws Exception {
    service.addMatch(DispatcherMatch.command("QUIET", m -> {})); // no reply to race the close
    loop.start();
    SocketAddress address = listenTls();
    MessageConnection ours =
        await(
            connect(
                address,
                verifyingClient(),
                collecting(new LinkedBlockingQueue<>()),
                new CompletableFuture<>()));
    TlsTransport first = (TlsTransport) serverSide.poll(20, TimeUnit.SECONDS).stream().transport();
    loop.run(
        () -> {
          ours.sendMessage(new Message().setCommand("QUIET"));
          ours.markDone(); // written once the handshake is done, then closed with close_notify
        });
    assertEquals(NONE, nextEnd(serverEnds));
    assertTrue(loop.call(first::peerSentCloseNotify));

    // A JDK client whose socket is closed under its TLS layer: no close_notify.
    SocketAddress.Inet4 ip = (SocketAddress.Inet4) address;
    try (java.net.Socket plain = new java.net.Socket(InetAddress.getLoopbackAddress(), ip.port())) {
      SSLSocket tls =
          (SSLSocket)
              jdkContext().getSocketFactory().createSocket(plain, "localhost", ip.port(), false);
      tls.startHandshake();
      tls.getOutputStream().write("ALIVE\n".getBytes(StandardCharsets.UTF_8));
      tls.getOutputStream().flush();
      assertNotNull(
          new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8))
              .readLine());
    }
    TlsTransport second = (TlsTransport) serverSide.poll(20, TimeUnit.SECONDS).stream().transport();
    assertEquals(NONE, nextEnd(serverEnds));
    assertFalse(loop.call(second::peerSentCloseNotify));
  }

  @Test
  void aJdkSslSocketClientIsServed() throws Exception {
    loop.start();
    assertServedByJdkClient(listenTls());
  }

  @Test
  void markDoneDuringTheHandshakeStillDeliversTheOutput() throws Exception {
    loop.start();
    SocketAddress address = listenTls();
    LinkedBlockingQueue<Message> atServer = new LinkedBlockingQueue<>();
    service.addMatch(DispatcherMatch.command("NOTE", atServer::add));
    CompletableFuture<CommunicatorException> ended = new CompletableFuture<>();
    await(
        connect(
            address,
            verifyingClient(),
            new Dispatcher(),
            ended,
            connection -> {
              connection.sendMessage(new Message().setCommand("NOTE").addParameter("n", 1));
              connection.markDone(); // before the handshake has even started
            }));

    assertEquals("1", next(atServer).parameter("n"));
    assertNull(await(ended));
  }

  @Test
  void badSettingsFailWithAClearError(@TempDir Path dir) throws Exception {
    Path sec1 = dir.resolve("ec.pem");
    Files.writeString(sec1, TestCertificate.pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
    CommunicatorException legacy =
        assertThrows(
            CommunicatorException.class, () -> TlsSettings.server(CERTIFICATE.certificate(), sec1));
    assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, legacy.kind());
    assertTrue(legacy.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), legacy.getMessage());

    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    Path otherKey = dir.resolve("other.pem");
    Files.writeString(
        otherKey,
        TestCertificate.pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()));
    CommunicatorException mismatch =
        assertThrows(
            CommunicatorException.class,
            () -> TlsSettings.server(CERTIFICATE.certificate(), otherKey));
    assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());

    Path missing = dir.resolve("missing.pem");
    CommunicatorException absent =
        assertThrows(
            CommunicatorException.class, () -> TlsSettings.server(missing, CERTIFICATE.key()));
    assertTrue(absent.getMessage().contains(missing.toString()), absent.getMessage());

    CommunicatorException noCertificate =
        assertThrows(
            CommunicatorException.class,
            () -> TlsSettings.server(CERTIFICATE.key(), CERTIFICATE.key()));
    assertTrue(
        noCertificate.getMessage().contains("no \"CERTIFICATE\""), noCertificate.getMessage());

    CommunicatorException old =
        assertThrows(
            CommunicatorException.class,
            () -> TlsSettings.builder(TlsMode.SECURE).protocols("TLSv1.1"));
    assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, old.kind());

    try (Socket socket = Socket.stream(Socket.Family.INET, 0)) {
      TlsSettings clientOnly = TlsSettings.builder(TlsMode.SECURE).build();
      assertThrows(CommunicatorException.class, () -> clientOnly.serverTransport(socket));
    }
    Transport plain = TlsSettings.plain().clientTransport(Socket.stream(Socket.Family.INET, 0));
    try {
      assertFalse(plain instanceof TlsTransport);
    } finally {
      plain.close();
    }
  }

  private Peer plainClient(SocketAddress address) {
    Socket socket = Socket.stream(address.family(), 0);
    socket.connect(address);
    Peer peer = new Peer(socket);
    closeLast.add(peer);
    return peer;
  }

  /**
   * A TLS 1.1 ClientHello, as an old client sends it: version 3.2 in the record and the hello, no
   * supported_versions extension, two TLS 1.1 cipher suites.
   */
  private static byte[] tls11ClientHello() {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.write(0x03);
    hello.write(0x02); // client_version TLS 1.1
    hello.writeBytes(new byte[32]); // random
    hello.write(0); // no session id
    hello.writeBytes(new byte[] {0x00, 0x04, 0x00, 0x2f, (byte) 0xc0, 0x13}); // two suites
    hello.writeBytes(new byte[] {0x01, 0x00}); // compression: null
    byte[] body = hello.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes(new byte[] {0x16, 0x03, 0x02}); // handshake record, TLS 1.1
    int handshakeLength = body.length + 4;
    record.write(handshakeLength >> 8);
    record.write(handshakeLength & 0xff);
    record.write(0x01); // ClientHello
    record.write(0);
    record.write(body.length >> 8);
    record.write(body.length & 0xff);
    record.writeBytes(body);
    return record.toByteArray();
  }

  /** Writes to two streams: the log still reaches the console while the test reads it. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    TeeStream(OutputStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) {
      synchronized (second) {
        second.write(b);
      }
      try {
        first.write(b);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (second) {
        second.write(b, off, len);
      }
      try {
        first.write(b, off, len);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
