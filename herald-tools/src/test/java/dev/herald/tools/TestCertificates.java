package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** Self-signed certificates made with the JDK's keytool, and a TLS server that presents one. */
final class TestCertificates {
  static final String PASSWORD = "changeit";

  private TestCertificates() {}

  static Path keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool");
  }

  /**
   * A PKCS12 key store with one self-signed EC certificate for 127.0.0.1 and localhost that became
   * valid {@code startDays} days from now (negative: in the past) for {@code days} days.
   */
  static Path keyStore(Path dir, String name, int startDays, int days) throws Exception {
    Path store = dir.resolve(name + ".p12");
    run(
        keytool().toString(),
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost, OU=QA, O=Herald Test, L=Paris, ST=Ile-de-France, C=FR,"
            + " EMAILADDRESS=ops@example.org",
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-startdate",
        (startDays >= 0 ? "+" : "-") + Math.abs(startDays) + "d",
        "-validity",
        Integer.toString(days),
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    return store;
  }

  /** A trust store holding the certificate of {@code keyStore} as a trusted authority. */
  static Path trustStore(Path dir, Path keyStore) throws Exception {
    Path cert = dir.resolve("server.crt");
    Path trust = dir.resolve("trust.p12");
    run(
        keytool().toString(),
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        cert.toString());
    run(
        keytool().toString(),
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        cert.toString(),
        "-keystore",
        trust.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    return trust;
  }

  /** The certificate of {@code keyStore} as a PEM file. */
  static Path certificatePem(Path dir, Path keyStore) throws Exception {
    Path cert = dir.resolve(keyStore.getFileName() + ".crt.pem");
    run(
        keytool().toString(),
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        cert.toString());
    return cert;
  }

  /** The private key of {@code keyStore} as a PKCS#8 PEM file. */
  static Path privateKeyPem(Path dir, Path keyStore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    byte[] pkcs8 = store.getKey("server", PASSWORD.toCharArray()).getEncoded();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
            + "\n-----END PRIVATE KEY-----\n";
    return Files.writeString(dir.resolve(keyStore.getFileName() + ".key.pem"), pem);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + output);
  }

  /** A JDK TLS server on 127.0.0.1 that completes each handshake and closes. */
  static final class Server implements AutoCloseable {
    private final SSLServerSocket socket;
    private final Thread acceptor;
    private final List<String> failures = new ArrayList<>();

    Server(Path keyStore) throws Exception {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(store, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      acceptor = Thread.ofPlatform().daemon().start(this::serve);
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (SSLSocket client = (SSLSocket) socket.accept()) {
          client.startHandshake();
        } catch (IOException e) {
          synchronized (failures) {
            failures.add(e.toString());
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        acceptor.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
