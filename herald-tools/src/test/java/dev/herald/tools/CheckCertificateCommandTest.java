package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCertificateCommandTest {
  @TempDir Path dir;

  @Test
  void infoPrintsTheUpstreamLinesAndAnUntrustedCertificateIsNotVerified() throws Exception {
    Path store = TestCertificates.keyStore(dir, "thirty", -1, 30);
    try (TestCertificates.Server server = new TestCertificates.Server(store)) {
      CapturedRun run = CapturedRun.of("check-certificate", "--info", "127.0.0.1:" + server.port());
      assertEquals(0, run.exit(), run.err());
      List<String> lines = run.lines();
      String day =
          DateTimeFormatter.ofPattern("yyyy/MM/dd")
              .format(LocalDate.now(ZoneOffset.UTC).minusDays(1));
      assertEquals("domain: 127.0.0.1", lines.get(0));
      assertTrue(
          lines.get(1).matches("not-before: " + day + " \\d\\d:\\d\\d:\\d\\d"), lines.get(1));
      assertTrue(lines.get(2).startsWith("not-after: "), lines.get(2));
      assertEquals(
          List.of(
              "issuer-common-name: localhost",
              "issuer-country-name: FR",
              "issuer-locality-name: Paris",
              "issuer-state-or-province-name: Ile-de-France",
              "issuer-organization-name: Herald Test",
              "issuer-organizational-unit: QA",
              "issuer-email-address: ops@example.org",
              "subject-common-name: localhost",
              "subject-country-name: FR",
              "subject-locality-name: Paris",
              "subject-state-or-province-name: Ile-de-France",
              "subject-organization-name: Herald Test",
              "subject-organizational-unit: QA",
              "subject-email-address: ops@example.org",
              "verified: false"),
          lines.subList(3, lines.size()));
    }
  }

  @Test
  void theExitStatusComparesTheTimeLeftWithTheLimit() throws Exception {
    Path store = TestCertificates.keyStore(dir, "five", -1, 6); // about 5 days left
    try (TestCertificates.Server server = new TestCertificates.Server(store)) {
      String target = "127.0.0.1:" + server.port();
      CapturedRun fewer = CapturedRun.of("check-certificate", target);
      assertEquals(1, fewer.exit(), "5 days left is below the default 14");
      assertEquals(List.of(), fewer.lines());
      assertTrue(
          fewer.err().contains("expires in 4 days") || fewer.err().contains("expires in 5 days"),
          fewer.err());
      assertEquals(0, CapturedRun.of("check-certificate", "--limit", "3", target).exit());
      assertEquals(0, CapturedRun.of("check-certificate", "--limit", "4d", target).exit());
      assertEquals(0, CapturedRun.of("check-certificate", "--limit", "96h", target).exit());
      assertEquals(1, CapturedRun.of("check-certificate", "--limit", "1w", target).exit());
    }
  }

  @Test
  void anExpiredCertificateFails() throws Exception {
    Path store = TestCertificates.keyStore(dir, "old", -20, 10);
    try (TestCertificates.Server server = new TestCertificates.Server(store)) {
      CapturedRun run =
          CapturedRun.of("check-certificate", "--limit", "0", "127.0.0.1:" + server.port());
      assertEquals(1, run.exit());
      assertTrue(
          run.err().contains("expired 10 days ago") || run.err().contains("expired 9 days ago"),
          run.err());
    }
  }

  @Test
  void noServerGivesUpstreamsErrorLine() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    CapturedRun run = CapturedRun.of("check-certificate", "127.0.0.1:" + port);
    assertEquals(1, run.exit());
    assertEquals(
        List.of("error: failed to load the certificate from \"127.0.0.1\"."), run.errLines());
  }

  @Test
  void aPlainTextServerIsNoCertificate() throws Exception {
    try (ServerSocket plain = new ServerSocket(0)) {
      Thread talker =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (var s = plain.accept()) {
                      s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                    } catch (Exception e) {
                      // the probe hung up: fine
                    }
                  });
      CapturedRun run = CapturedRun.of("check-certificate", "127.0.0.1:" + plain.getLocalPort());
      assertEquals(1, run.exit());
      assertEquals(
          List.of("error: failed to load the certificate from \"127.0.0.1\"."), run.errLines());
      talker.join(5000);
    }
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    for (String[] args :
        List.of(
            new String[] {"check-certificate", "--limit", "soon", "example.org"},
            new String[] {"check-certificate", "--limit", "-3", "example.org"},
            new String[] {"check-certificate", "example.org:70000"},
            new String[] {"check-certificate", "[::1"},
            new String[] {"check-certificate"})) {
      CapturedRun run = CapturedRun.of(args);
      assertEquals(1, run.exit(), String.join(" ", args) + ": " + run.err()); // as upstream
      assertEquals(1, run.errLines().size(), run.err());
    }
  }

  @Test
  void aCertificateThatChainsToATrustedAuthorityIsVerified() throws Exception {
    Path store = TestCertificates.keyStore(dir, "trusted", -1, 30);
    Path trust = TestCertificates.trustStore(dir, store);
    try (TestCertificates.Server server = new TestCertificates.Server(store)) {
      // The default trust store is read once per JVM: a child JVM gets its own.
      Process child =
          HeraldJvm.command(
                  List.of(
                      "-Djavax.net.ssl.trustStore=" + trust,
                      "-Djavax.net.ssl.trustStorePassword=" + TestCertificates.PASSWORD,
                      "-Djavax.net.ssl.trustStoreType=PKCS12"),
                  "check-certificate",
                  "--info",
                  "127.0.0.1:" + server.port())
              .redirectErrorStream(true)
              .start();
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, child.exitValue(), out);
      assertTrue(out.lines().anyMatch("verified: true"::equals), out);
    }
  }
}
