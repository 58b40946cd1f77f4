package dev.herald.tools;

import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import dev.herald.dispatcher.MessageNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald signal}: the upstream {@code ed-signal}. It sends one message to a service, as one
 * UDP datagram or as one line over TCP (then waits for the first reply line), so that scripts, cron
 * jobs and logrotate can poke a running service: {@code herald signal --host 127.0.0.1:4041
 * snaprfs/LOG_ROTATE}.
 */
@Command(
    name = "signal",
    mixinStandardHelpOptions = true,
    // Upstream's tool exits 1 on any error, a bad option included: scripts rely on it.
    exitCodeOnInvalidInput = 1,
    description = {
      "Send one message to a service over UDP (one datagram) or TCP (one line, then its reply).",
      "The message is [[server:]service/]COMMAND, sent from <HOSTNAME:ed_signal.",
    })
final class SignalCommand implements Callable<Integer> {
  /** Upstream's port for both UDP and TCP. */
  static final int DEFAULT_PORT = 4041;

  /** The sending service's name, as upstream names it. */
  static final String SENT_FROM_SERVICE = "ed_signal";

  enum Type {
    udp,
    tcp
  }

  @Spec CommandSpec spec;

  @Option(
      names = {"-a", "--host"},
      paramLabel = "HOST[:PORT]|FILE@VARIABLE",
      defaultValue = "127.0.0.1:4041",
      description =
          "Where the service listens (default: ${DEFAULT-VALUE}); FILE@VARIABLE reads"
              + " ip[:port] from that variable of an INI-style file.")
  String host;

  @Option(
      names = {"-t", "--type"},
      paramLabel = "udp|tcp",
      defaultValue = "udp",
      description =
          "How to send: one UDP datagram, or one TCP line and its reply (default: ${DEFAULT-VALUE}).")
  Type type;

  @Option(
      names = {"-r", "--reply"},
      description = "With TCP, print the reply line.")
  boolean reply;

  @Option(
      names = {"-c", "--secret-code"},
      paramLabel = "CODE",
      description = "Add a secret_code parameter to a UDP message, for servers that require one.")
  String secretCode;

  @Option(names = "--server", paramLabel = "NAME", description = "The server the message is for.")
  String server;

  @Option(names = "--service", paramLabel = "NAME", description = "The service the message is for.")
  String service;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME[=VALUE]",
      description = "A parameter (repeatable); without '=' its value is empty.")
  List<String> parameters = new ArrayList<>();

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      defaultValue = "10000",
      converter = Bounds.AtLeastOne.class,
      description =
          "With TCP, how long to wait for the connection and the reply (default: ${DEFAULT-VALUE}).")
  long timeoutMillis;

  @Parameters(paramLabel = "[[SERVER:]SERVICE/]COMMAND", description = "The message to send.")
  String command;

  SignalCommand() {}

  @Override
  public Integer call() throws IOException {
    Message message = message();
    HostAndPort to = destination();
    InetSocketAddress address = new InetSocketAddress(to.host(), to.port());
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve host \"" + to.host() + "\"");
    }
    switch (type) {
      case udp -> sendDatagram(message, address);
      case tcp -> sendLine(message, address);
    }
    return 0;
  }

  /** Builds the message from the command argument and the options. */
  Message message() {
    Message message = new Message();
    try {
      message.setSentFromServer(hostName()).setSentFromService(SENT_FROM_SERVICE);
      String rest = command;
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        String target = rest.substring(0, slash);
        rest = rest.substring(slash + 1);
        int colon = target.indexOf(':');
        if (colon >= 0) {
          conflict("server", server);
          message.setServer(target.substring(0, colon));
          target = target.substring(colon + 1);
        }
        conflict("service", service);
        message.setService(target);
      }
      if (server != null) {
        message.setServer(server);
      }
      if (service != null) {
        message.setService(service);
      }
      message.setCommand(rest);
      for (String parameter : parameters) {
        int equals = parameter.indexOf('=');
        message.addParameter(
            equals < 0 ? parameter : parameter.substring(0, equals),
            equals < 0 ? "" : parameter.substring(equals + 1));
      }
      if (secretCode != null && type == Type.udp) {
        message.addParameter("secret_code", secretCode);
      }
      message.toMessage(); // a message that cannot be written fails here, with upstream's reason
    } catch (MessageException e) {
      throw new IllegalArgumentException("bad message: " + e.getMessage(), e);
    }
    return message;
  }

  private void conflict(String what, String option) {
    if (option != null) {
      throw new IllegalArgumentException(
          "the " + what + " is named both in the message and with --" + what + ": give it once");
    }
  }

  private HostAndPort destination() throws IOException {
    int at = host.lastIndexOf('@');
    if (at < 0) {
      return HostAndPort.parse(host, DEFAULT_PORT);
    }
    Path file = Path.of(host.substring(0, at));
    String variable = host.substring(at + 1);
    String value = IniFile.read(file).get(variable);
    if (value == null) {
      throw new IllegalArgumentException(
          "variable \"" + variable + "\" not found in \"" + file + "\".");
    }
    return HostAndPort.parse(value, DEFAULT_PORT);
  }

  private static void sendDatagram(Message message, InetSocketAddress to) throws IOException {
    byte[] data = message.toMessage().getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket socket = new DatagramSocket()) {
      if (to.getAddress().isMulticastAddress() || isBroadcast(to)) {
        socket.setBroadcast(true);
      }
      socket.send(new DatagramPacket(data, data.length, to));
    } catch (IOException e) {
      throw new IOException("cannot send the datagram to " + to + ": " + e.getMessage(), e);
    }
  }

  private static boolean isBroadcast(InetSocketAddress to) {
    byte[] a = to.getAddress().getAddress();
    return a.length == 4 && (a[3] & 0xff) == 255;
  }

  private void sendLine(Message message, InetSocketAddress to) throws IOException {
    int timeout = (int) Math.min(timeoutMillis, Integer.MAX_VALUE);
    try (Socket socket = new Socket()) {
      socket.connect(to, timeout);
      socket.setSoTimeout(timeout);
      OutputStream out = socket.getOutputStream();
      out.write((message.toMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) {
        throw new IOException(to + " closed the connection without a reply");
      }
      if (reply) {
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(line);
        stdout.flush();
      }
    } catch (SocketTimeoutException e) {
      throw new IOException(
          "no reply from " + to + " within " + timeout + " ms (see --timeout-ms)", e);
    } catch (IOException e) {
      throw new IOException("cannot talk to " + to + ": " + e.getMessage(), e);
    }
  }

  /**
   * This machine's name as a message name: upstream sends the host name as is and fails when it is
   * not a valid name; here each character a name cannot hold becomes {@code _}.
   */
  static String hostName() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      name = "localhost";
    }
    return asMessageName(name);
  }

  static String asMessageName(String name) {
    StringBuilder b = new StringBuilder(name.length() + 1);
    name.codePoints().forEach(c -> b.appendCodePoint(isNameChar(c) ? c : '_'));
    if (!b.isEmpty() && Character.isDigit(b.charAt(0))) {
      b.setCharAt(0, '_'); // a name cannot start with a digit
    }
    return b.isEmpty() ? "_" : b.toString();
  }

  private static boolean isNameChar(int c) {
    return MessageNames.problem("a" + Character.toString(c), false, true) == null;
  }
}
