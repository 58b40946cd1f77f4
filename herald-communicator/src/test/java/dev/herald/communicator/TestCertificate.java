package dev.herald.communicator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and 127.0.0.1, made by the JDK's own {@code
 * keytool} (run as a process, as an administrator would) and written as PEM files the way services
 * are configured: {@link #certificate} and {@link #key} (PKCS#8), plus the PKCS#12 store for the
 * JDK's own SSL sockets in interop tests.
 */
record TestCertificate(Path certificate, Path key, Path store, char[] password) {
  private static TestCertificate made;

  /** The certificate, made once per test run. */
  static synchronized TestCertificate localhost() {
    if (made == null) {
      made = make();
    }
    return made;
  }

  private static TestCertificate make() {
    try {
      Path dir = Files.createTempDirectory("herald-tls-");
      dir.toFile().deleteOnExit();
      Path store = dir.resolve("localhost.p12");
      char[] password = "changeit".toCharArray();
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process process =
          new ProcessBuilder(
                  keytool.toString(),
                  "-genkeypair",
                  "-alias",
                  "localhost",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "san=dns:localhost,ip:127.0.0.1",
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  new String(password),
                  "-keypass",
                  new String(password),
                  "-noprompt")
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("keytool failed: " + output);
      }
      KeyStore keys = KeyStore.getInstance(store.toFile(), password);
      PrivateKey key = (PrivateKey) keys.getKey("localhost", password);
      Certificate certificate = keys.getCertificate("localhost");
      Path certificatePem = dir.resolve("cert.pem");
      Path keyPem = dir.resolve("key.pem");
      Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
      for (Path file : new Path[] {store, certificatePem, keyPem}) {
        file.toFile().deleteOnExit();
      }
      return new TestCertificate(certificatePem, keyPem, store, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new AssertionError("cannot make the test certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A PEM block of 64-character lines, as openssl writes them. */
  static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The PKCS#12 store, for the JDK's SSL sockets. */
  KeyStore keyStore() {
    try {
      return KeyStore.getInstance(store.toFile(), password);
    } catch (IOException | GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
