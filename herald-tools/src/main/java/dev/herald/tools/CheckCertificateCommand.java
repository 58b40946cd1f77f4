package dev.herald.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald check-certificate [--info] [--limit DURATION] HOST[:PORT]}: the upstream {@code
 * check-certificate}. It reads the certificate a TLS server presents, trusted or not, and exits 0
 * while it has at least the limit left before it expires, 1 otherwise: a cron job's early warning.
 */
@Command(
    name = "check-certificate",
    mixinStandardHelpOptions = true,
    // Upstream's tool exits 1 on any error, a bad option included: scripts rely on it.
    exitCodeOnInvalidInput = 1,
    description = {
      "Check how long the TLS certificate of HOST stays valid.",
      "Exits 0 when at least the limit is left, 1 when less is left or no certificate could be read.",
    })
final class CheckCertificateCommand implements Callable<Integer> {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** The attributes {@code --info} names, in upstream's order, by their X.500 keyword. */
  private static final Map<String, String> FIELDS = fields();

  @Spec CommandSpec spec;

  @Option(names = "--info", description = "Print the certificate's dates and names.")
  boolean info;

  @Option(
      names = "--limit",
      paramLabel = "DURATION",
      defaultValue = "14",
      converter = DayLimit.class,
      description =
          "The least time that must be left (14, 14d, 2w, 36h; a bare number counts days;"
              + " default: ${DEFAULT-VALUE} days).")
  Duration limit;

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      defaultValue = "10000",
      converter = Bounds.AtLeastOne.class,
      description =
          "How long to wait for the connection and the handshake (default: ${DEFAULT-VALUE}).")
  long timeoutMillis;

  @Parameters(
      paramLabel = "HOST[:PORT]",
      converter = HttpsServer.class,
      description = "The server: a name or address, port 443 unless given ([::1]:8443 for IPv6).")
  HostAndPort server;

  CheckCertificateCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CertificateProbe.Result result;
    try {
      result =
          CertificateProbe.fetch(
              server.host(), server.port(), (int) Math.min(timeoutMillis, 1 << 30));
    } catch (IOException e) {
      // Upstream's line, word for word: scripts match it.
      err.println("error: failed to load the certificate from \"" + server.host() + "\".");
      if (ErrorReport.debugRequested(spec.commandLine().getParseResult())) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
    X509Certificate certificate = result.certificate();
    if (info) {
      out.println("domain: " + server.host());
      out.println("not-before: " + DATE.format(certificate.getNotBefore().toInstant()));
      out.println("not-after: " + DATE.format(certificate.getNotAfter().toInstant()));
      printNames(out, "issuer-", certificate.getIssuerX500Principal());
      printNames(out, "subject-", certificate.getSubjectX500Principal());
      out.println("verified: " + result.verified());
      out.flush();
    }
    Duration left = Duration.between(Instant.now(), certificate.getNotAfter().toInstant());
    if (left.compareTo(limit) >= 0) {
      return 0;
    }
    err.println(
        spec.qualifiedName()
            + ": the certificate of "
            + server.host()
            + (left.isNegative()
                ? " expired " + (-left.toDays()) + " days ago"
                : " expires in " + left.toDays() + " days")
            + ", less than the limit of "
            + limit.toDays()
            + " days");
    err.flush();
    return 1;
  }

  /** {@code HOST[:PORT]} with HTTPS's port by default, checked while parsing. */
  static final class HttpsServer implements ITypeConverter<HostAndPort> {
    @Override
    public HostAndPort convert(String value) {
      return HostAndPort.parse(value, 443);
    }
  }

  private static void printNames(PrintWriter out, String prefix, X500Principal principal) {
    List<Rdn> rdns;
    try {
      rdns =
          new LdapName(
                  principal.getName(
                      X500Principal.RFC2253, Map.of("1.2.840.113549.1.9.1", "EMAILADDRESS")))
              .getRdns();
    } catch (InvalidNameException e) {
      return; // the JDK wrote this name itself: it always parses
    }
    for (Map.Entry<String, String> field : FIELDS.entrySet()) {
      // LdapName lists the RDNs from the last to the first; the first of a kind is the one shown.
      for (int i = rdns.size() - 1; i >= 0; i--) {
        Rdn rdn = rdns.get(i);
        if (rdn.getType().equalsIgnoreCase(field.getKey())) {
          String value = String.valueOf(rdn.getValue()).strip();
          if (!value.isEmpty()) {
            out.println(prefix + field.getValue() + ": " + value);
          }
          break;
        }
      }
    }
  }

  private static Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("CN", "common-name");
    fields.put("C", "country-name");
    fields.put("L", "locality-name");
    fields.put("ST", "state-or-province-name");
    fields.put("O", "organization-name");
    fields.put("OU", "organizational-unit");
    fields.put("EMAILADDRESS", "email-address");
    return java.util.Collections.unmodifiableMap(fields);
  }
}
