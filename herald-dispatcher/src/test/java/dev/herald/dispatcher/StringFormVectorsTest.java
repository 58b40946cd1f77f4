package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every string-form vector (§1.6) and rejected input (§1.7) of the spec, byte for byte. */
class StringFormVectorsTest {
  private static final String DIGIT =
      "a message name (command, server, service, parameter, etc.) cannot start with a digit, ";
  private static final String ASCII =
      "a message name (command, server, service, parameter, etc.) must be composed of ASCII"
          + " 'a'..'z', 'A'..'Z', '0'..'9', or '_' only (also a command must be uppercase only), ";

  record Vector(
      String id,
      String wire,
      String sentFromServer,
      String sentFromService,
      String server,
      String service,
      String command,
      Map<String, String> parameters,
      String reserialized) {
    @Override
    public String toString() {
      return id + " " + wire.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
  }

  private static Vector cmd(String id, String wire, String command, String reserialized) {
    return new Vector(id, wire, "", "", "", "", command, Map.of(), reserialized);
  }

  private static Vector msg(String id, String wire, Map<String, String> params, String re) {
    return new Vector(id, wire, "", "", "", "", "MSG", params, re);
  }

  static Stream<Vector> vectors() {
    return Stream.of(
        cmd("1", "STOP", "STOP", "STOP"),
        new Vector("2", "cluckd/STOP", "", "", "", "cluckd", "STOP", Map.of(), "cluckd/STOP"),
        new Vector(
            "3",
            "snap:cluckd/STOP",
            "",
            "",
            "snap",
            "cluckd",
            "STOP",
            Map.of(),
            "snap:cluckd/STOP"),
        new Vector(
            "4",
            "<remote:firewall jungle:watchdog/CONNECT race=true;speed=1078",
            "remote",
            "firewall",
            "jungle",
            "watchdog",
            "CONNECT",
            Map.of("race", "true", "speed", "1078"),
            "<remote:firewall jungle:watchdog/CONNECT race=true;speed=1078"),
        new Vector(
            "5",
            "REGISTER service=responder;version=1",
            "",
            "",
            "",
            "",
            "REGISTER",
            Map.of("service", "responder", "version", "1"),
            "REGISTER service=responder;version=1"),
        new Vector(
            "6",
            "COMMANDS list=HELP,READY,STOP",
            "",
            "",
            "",
            "",
            "COMMANDS",
            Map.of("list", "HELP,READY,STOP"),
            "COMMANDS list=HELP,READY,STOP"),
        msg("7", "MSG a=1;", Map.of("a", "1"), "MSG a=1"),
        msg("8", "MSG v=\"a;b\"", Map.of("v", "a;b"), "MSG v=\"a;b\""),
        msg(
            "9",
            "MSG v=\"say \\\"hi\\\";now\"",
            Map.of("v", "say \"hi\";now"),
            "MSG v=\"say \\\"hi\\\";now\""),
        msg("10", "MSG v=line1\\nline2", Map.of("v", "line1\nline2"), "MSG v=line1\\nline2"),
        msg("11", "MSG v=C:\\\\path", Map.of("v", "C:\\path"), "MSG v=C:\\\\path"),
        msg("12", "MSG v=keep\\tthis", Map.of("v", "keep\\tthis"), "MSG v=keep\\\\tthis"),
        msg("13", "MSG v=", Map.of("v", ""), "MSG v="),
        cmd("14a", "  STOP  \r", "STOP", "STOP"),
        cmd("14b", "\tSTOP\r\n", "STOP", "STOP"),
        new Vector(
            "15",
            "<:ed_signal ./LOG_ROTATE",
            "",
            "ed_signal",
            "",
            ".",
            "LOG_ROTATE",
            Map.of(),
            "<:ed_signal ./LOG_ROTATE"),
        new Vector("16a", "*/STOP", "", "", "", "*", "STOP", Map.of(), "*/STOP"),
        new Vector("16b", "?/STOP", "", "", "", "?", "STOP", Map.of(), "?/STOP"),
        new Vector("17", "srv:CMD", "", "", "srv", "", "CMD", Map.of(), "CMD"),
        cmd("18a", "hello", "hello", "hello"),
        cmd("18b", "A-B.c", "A-B.c", "A-B.c"),
        msg("19a", "MSG v=a b c", Map.of("v", "a b c"), "MSG v=a b c"),
        msg("19b", "MSG v=x=y", Map.of("v", "x=y"), "MSG v=x=y"),
        msg("20", "MSG b=2;a=1", Map.of("a", "1", "b", "2"), "MSG a=1;b=2"),
        msg("21", "MSG a=1;a=2", Map.of("a", "2"), "MSG a=2"),
        msg("22a", "MSG v=\"plain\"", Map.of("v", "plain"), "MSG v=plain"),
        msg("22b", "MSG v=\"a\";w=2", Map.of("v", "a", "w", "2"), "MSG v=a;w=2"),
        msg("23", "MSG v=a\"b", Map.of("v", "a\"b"), "MSG v=a\"b"),
        msg("24", "MSG v=\\\"", Map.of("v", "\\\""), "MSG v=\\\\\""),
        msg("25", "MSG v=trailing   ", Map.of("v", "trailing"), "MSG v=trailing"),
        msg("26", "MSG v=\"trailing   \"", Map.of("v", "trailing   "), "MSG v=trailing   "),
        new Vector("27a", "<srv: CMD", "srv", "", "", "", "CMD", Map.of(), "<srv: CMD"),
        new Vector("27b", "<:svc CMD", "", "svc", "", "", "CMD", Map.of(), "<:svc CMD"),
        new Vector("27c", "<srv:svc CMD", "srv", "svc", "", "", "CMD", Map.of(), "<srv:svc CMD"),
        msg(
            "28",
            "MSG a=3;_a=2;Z=1;B=4",
            Map.of("B", "4", "Z", "1", "_a", "2", "a", "3"),
            "MSG B=4;Z=1;_a=2;a=3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void parsesAndReserialises(Vector v) {
    Message m = Message.parse(v.wire());
    assertEquals(v.sentFromServer(), m.sentFromServer(), "sent-from server");
    assertEquals(v.sentFromService(), m.sentFromService(), "sent-from service");
    assertEquals(v.server(), m.server(), "server");
    assertEquals(v.service(), m.service(), "service");
    assertEquals(v.command(), m.command(), "command");
    assertEquals(v.parameters(), m.parameters(), "parameters");
    assertEquals(v.reserialized(), m.toMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void parsesFromAnOffsetInABiggerBuffer(Vector v) {
    byte[] wire = v.wire().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] buffer = new byte[wire.length + 20];
    java.util.Arrays.fill(buffer, (byte) ';');
    System.arraycopy(wire, 0, buffer, 7, wire.length);
    assertEquals(Message.parse(v.wire()), new MessageParser().parse(buffer, 7, wire.length));
  }

  static Stream<Arguments> built() {
    return Stream.of(
        Arguments.of(
            "S1",
            new Message()
                .setCommand("FIRE")
                .addParameter("name", "Charles")
                .addParameter("length", -35)
                .addParameter("range", "+101")
                .addParameter("valid", "true")
                .addParameter("correct", "false")
                .addParameter("void", ""),
            "FIRE correct=false;length=-35;name=Charles;range=+101;valid=true;void="),
        Arguments.of(
            "S2",
            new Message()
                .setCommand("MSG")
                .addParameter("semi", "a;b")
                .addParameter("quote", "\"q\"")
                .addParameter("nl", "l1\nl2\r")
                .addParameter("bs", "C:\\dir")
                .addParameter("mixed", "x;\\\"")
                .addParameter("bsn", "a\\nb"),
            "MSG bs=C:\\\\dir;bsn=a\\\\nb;mixed=\"x;\\\\\\\"\";nl=l1\\nl2\\r;quote=\"\\\"q\\\"\";"
                + "semi=\"a;b\""),
        Arguments.of(
            "S3",
            new Message()
                .setSentFromServer("reporter_test_extension")
                .setSentFromService("test_processor")
                .setServer("reporter_test")
                .setService("accept_one_message")
                .setCommand("READY")
                .addParameter("status", "alive")
                .addParameter("version", 9),
            "<reporter_test_extension:test_processor reporter_test:accept_one_message/READY"
                + " status=alive;version=9"),
        Arguments.of(
            "S4",
            new Message()
                .setServer(".")
                .setService("communicatord")
                .setCommand("COMMANDS")
                .addParameter(
                    "list",
                    "ALIVE,HELP,HI,INVALID,LEAK,LOG_ROTATE,QUITTING,READY,RESTART,"
                        + "SERVICE_UNAVAILABLE,STOP,UNKNOWN"),
            ".:communicatord/COMMANDS list=ALIVE,HELP,HI,INVALID,LEAK,LOG_ROTATE,QUITTING,READY,"
                + "RESTART,SERVICE_UNAVAILABLE,STOP,UNKNOWN"),
        Arguments.of(
            "S5",
            new Message()
                .setServer("srv")
                .setService("svc")
                .setCommand("UNKNOWN")
                .addParameter("command", "FOO"),
            "srv:svc/UNKNOWN command=FOO"),
        Arguments.of(
            "S6",
            new Message()
                .setServer("srv")
                .setService("svc")
                .setCommand("ABSOLUTELY")
                .addParameter("serial", 42)
                .addParameter("timestamp", new Timespec(1715440881, 500_000_000))
                .addParameter("reply_timestamp", new Timespec(1715440882, 123).toFullString()),
            "srv:svc/ABSOLUTELY reply_timestamp=1715440882.000000123;serial=42;"
                + "timestamp=1715440881.5"),
        Arguments.of(
            "S7",
            new Message()
                .setSentFromServer("myhost")
                .setSentFromService("ed_signal")
                .setServer("snap")
                .setService("cluckd")
                .setCommand("STOP")
                .addParameter("secret_code", "password1"),
            "<myhost:ed_signal snap:cluckd/STOP secret_code=password1"),
        Arguments.of(
            "S8",
            new Message()
                .setCommand("LOG")
                .addParameter("message", "disk full; retrying")
                .addParameter("severity", "error")
                .addParameter("timestamp", Timespec.parse("1715440881.543723981"))
                .addParameter("components", "normal")
                .addParameter("fields", "id:33,user:bob"),
            "LOG components=normal;fields=id:33,user:bob;message=\"disk full; retrying\";"
                + "severity=error;timestamp=1715440881.543723981"),
        Arguments.of("S9", new Message().setSentFromServer("srv").setCommand("MSG"), "<srv: MSG"),
        Arguments.of(
            "S10", new Message().setCommand("MSG").addParameter("v", "x;\\"), "MSG v=\"x;\\\\\""),
        Arguments.of(
            "28",
            new Message()
                .setCommand("MSG")
                .addParameter("a", "3")
                .addParameter("Z", "1")
                .addParameter("_a", "2")
                .addParameter("B", "4"),
            "MSG B=4;Z=1;_a=2;a=3"),
        Arguments.of(
            "server without service", new Message().setServer("srv").setCommand("CMD"), "CMD"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("built")
  void serialises(String id, Message message, String wire) {
    assertEquals(wire, message.toMessage());
    if (!id.equals("S10") && !id.equals("server without service")) {
      assertEquals(message, Message.parse(wire), "round trip");
    }
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("R1", "", "message is empty or only composed of blanks ()."),
        Arguments.of("R1", "   ", "message is empty or only composed of blanks (   )."),
        Arguments.of(
            "R2", "MSG v=\"unterminated", "a quoted message parameter must end with a quote (\")."),
        Arguments.of("R3", "MSG v=\"a\"b", "two parameters must be separated by a semicolon (;)."),
        Arguments.of(
            "R4",
            "MSG 1a=2",
            "could not accept message because parameter name \"1a\" is not considered valid:"
                + " event_dispatcher_exception: "
                + DIGIT
                + "\"1a\" is not valid."),
        Arguments.of(
            "R5",
            "MSG a-b=2",
            "could not accept message because parameter name \"a-b\" is not considered valid:"
                + " event_dispatcher_exception: "
                + ASCII
                + "\"a-b\" is not valid."),
        Arguments.of(
            "R6",
            "MSG =2",
            "could not accept message because an empty parameter name is not valid."),
        Arguments.of(
            "R7", "MSG flag", "message parameters must be followed by an equal (=) character."),
        Arguments.of(
            "R7", "MSG a=1;b", "message parameters must be followed by an equal (=) character."),
        Arguments.of(
            "R8",
            "MSG a=1; b=2",
            "could not accept message because parameter name \" b\" is not considered valid:"
                + " event_dispatcher_exception: "
                + ASCII
                + "\" b\" is not valid."),
        Arguments.of(
            "R8",
            "MSG  a=1",
            "could not accept message because parameter name \" a\" is not considered valid:"
                + " event_dispatcher_exception: "
                + ASCII
                + "\" a\" is not valid."),
        Arguments.of(
            "R9",
            "MSG a=1;;b=2",
            "could not accept message because parameter name \";b\" is not considered valid:"
                + " event_dispatcher_exception: "
                + ASCII
                + "\";b\" is not valid."),
        Arguments.of(
            "R10",
            "<srv CMD",
            "a message with sent_from_server must not include a space in the server name (<srv"
                + " CMD)."),
        Arguments.of(
            "R11", "<srv:svc", "a message cannot only include a 'sent from service' definition."),
        Arguments.of(
            "R11", "<srv", "a message cannot only include a 'sent from service' definition."),
        Arguments.of("R12", "a:b:CMD", R12),
        Arguments.of("R12", "svc/a:CMD", R12),
        Arguments.of("R12", ":CMD", R12),
        Arguments.of("R13", "/CMD", R13),
        Arguments.of("R13", "a/b/CMD", R13),
        Arguments.of("R14", "svc/", "a command is mandatory in a message."),
        Arguments.of("R14", "srv:", "a command is mandatory in a message."),
        Arguments.of(
            "R15", "MSG v=\"x;\\\\\"", "a quoted message parameter must end with a quote (\")."),
        // Upstream checks a parameter's name (up to '=' or the end) before it looks for the '='.
        Arguments.of(
            "name before '='",
            "MSG a-b",
            "could not accept message because parameter name \"a-b\" is not considered valid:"
                + " event_dispatcher_exception: "
                + ASCII
                + "\"a-b\" is not valid."),
        Arguments.of(
            "name before '='",
            "MSG 1a",
            "could not accept message because parameter name \"1a\" is not considered valid:"
                + " event_dispatcher_exception: "
                + DIGIT
                + "\"1a\" is not valid."),
        Arguments.of(
            "name before '='",
            "MSG a=1;b.c",
            "could not accept message because parameter name \"b.c\" is not considered valid:"
                + " event_dispatcher_exception: "
                + ASCII
                + "\"b.c\" is not valid."),
        Arguments.of(
            "name before '='",
            "MSG a=1;;",
            "could not accept message because parameter name \";\" is not considered valid:"
                + " event_dispatcher_exception: "
                + ASCII
                + "\";\" is not valid."),
        Arguments.of(
            "name before '='",
            "MSG a=1;x\0=2",
            "message parameters must be followed by an equal (=) character."),
        // A message starting with '{' is JSON, however short.
        Arguments.of("lone brace", "{", "JSON message not properly closed, '}' missing."),
        Arguments.of("lone brace", "\t{ \r\n", "JSON message not properly closed, '}' missing."));
  }

  /**
   * Herald's own rule, checked after all of upstream's: names the string form reads but could not
   * write back in the same place, so that the setters can take every parsed name.
   */
  static Stream<Arguments> namesTheStringFormCannotWriteBack() {
    return Stream.of(
        Arguments.of(
            "svc/A\tB", "a message command cannot include a tab, \"A\\u0009B\" is not valid."),
        Arguments.of("svc/<X", "a message command cannot start with '<', \"<X\" is not valid."),
        Arguments.of("<a:b {X", "a message command cannot start with '{', \"{X\" is not valid."),
        Arguments.of(
            "a\u000Bb:svc/CMD",
            "a message server name cannot include a vertical tab, \"a\\u000bb\" is not valid."),
        Arguments.of(
            "<a:b <x/CMD", "a message service name cannot start with '<', \"<x\" is not valid."),
        Arguments.of(
            "<a\fb:c CMD",
            "a message sent-from server name cannot include a form feed, \"a\\u000cb\" is not"
                + " valid."),
        Arguments.of(
            "<a:b\rc CMD",
            "a message sent-from service name cannot include a carriage return, \"b\\u000dc\" is"
                + " not valid."),
        // Upstream's own reasons come first.
        Arguments.of(
            "<a\tb c:d CMD",
            "a message with sent_from_server must not include a space in the server name (<a\tb"
                + " c:d CMD)."),
        Arguments.of(
            "svc/A\tB flag", "message parameters must be followed by an equal (=) character."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namesTheStringFormCannotWriteBack")
  void refusesNamesItCouldNotWriteBackAfterUpstreamsChecks(String wire, String reason) {
    MessageException e = assertThrows(MessageException.class, () -> Message.parse(wire));
    assertEquals(reason, e.getMessage());
    assertEquals(MessageException.Kind.INVALID_MESSAGE, e.kind());
  }

  private static final String R12 =
      "a server name cannot be empty when specified, also it cannot include two server names and"
          + " a server name after a service name was specified.";
  private static final String R13 =
      "a service name is mandatory when the message includes a slash (/), also it cannot include"
          + " two service names.";

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rejected")
  void rejectsWithUpstreamReason(String id, String wire, String reason) {
    MessageException e = assertThrows(MessageException.class, () -> Message.parse(wire));
    assertEquals(reason, e.getMessage());
    assertEquals(MessageException.Kind.INVALID_MESSAGE, e.kind());
  }
}
