package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON vectors (§1.8), with Herald's documented fixes: valid JSON when a service is set,
 * strings unescaped once, numbers kept as written, values that are not JSON numbers written as
 * strings.
 */
class JsonFormTest {
  @Test
  void j1WritesValidJsonAndKeepsTheSign() {
    Message fire =
        new Message()
            .setCommand("FIRE")
            .addParameter("name", "Charles")
            .addParameter("length", -35)
            .addParameter("range", "+101")
            .addParameter("valid", "true")
            .addParameter("correct", "false")
            .addParameter("void", "");
    String json = fire.toJson();
    assertEquals(
        "{\"command\":\"FIRE\",\"parameters\":{\"correct\":false,\"length\":-35,"
            + "\"name\":\"Charles\",\"range\":\"+101\",\"valid\":true,\"void\":\"\"}}",
        json);
    assertEquals(fire, Message.parse(json));
  }

  @Test
  void writesValidJsonWhenAServiceIsSet() {
    Message m = Message.parse("<remote:firewall jungle:watchdog/CONNECT race=true;speed=1078");
    String json = m.toJson();
    assertEquals(
        "{\"sent-from-server\":\"remote\",\"sent-from-service\":\"firewall\",\"server\":\"jungle\","
            + "\"service\":\"watchdog\",\"command\":\"CONNECT\","
            + "\"parameters\":{\"race\":true,\"speed\":1078}}",
        json);
    assertEquals(m, Message.parse(json));
  }

  @Test
  void j2ReadsCompactAndSpacedObjects() {
    assertEquals("STOP", Message.parse("{\"command\":\"STOP\"}").command());
    Message spaced = Message.parse(" { \"command\" : \"STOP\" , \"parameters\" : { } } ");
    assertEquals("STOP", spaced.command());
    assertEquals(0, spaced.parameterCount());
  }

  @Test
  void j3ReadsEveryValueKindAndKeepsNumberText() {
    Message m =
        Message.parse(
            "{\"sent-from-server\":\"a\",\"sent-from-service\":\"b\",\"server\":\"c\","
                + "\"service\":\"d\",\"command\":\"E\",\"parameters\":{\"i\":5,\"f\":2.5,"
                + "\"t\":true,\"x\":false,\"n\":null,\"s\":\"str\"}}");
    assertEquals("<a:b c:d/E f=2.5;i=5;n=;s=str;t=true;x=false", m.toMessage());
  }

  @Test
  void j4KeepsExponentsAsWritten() {
    Message m =
        Message.parse("{\"command\":\"X\",\"parameters\":{\"a\":1e-7,\"b\":-0.5,\"c\":1e3}}");
    assertEquals(Map.of("a", "1e-7", "b", "-0.5", "c", "1e3"), m.parameters());
  }

  @Test
  void j5KeepsNanosecondTimestamps() {
    Message alive =
        new Message()
            .setCommand("ALIVE")
            .addParameter("timestamp", Timespec.parse("1715440881.543723981"));
    String json = alive.toJson();
    assertEquals(
        "{\"command\":\"ALIVE\",\"parameters\":{\"timestamp\":1715440881.543723981}}", json);
    assertEquals("1715440881.543723981", Message.parse(json).parameter("timestamp"));
  }

  @Test
  void j6UnescapesOnce() {
    Message m =
        Message.parse(
            "{\"command\":\"X\",\"parameters\":{\"s\":\"a\\\\nb\",\"bs\":\"a\\\\\\\\b\","
                + "\"q\":\"a\\\"b\",\"u\":\"\\u00e9\",\"p\":\"\\ud83d\\ude00\"}}");
    assertEquals("a\\nb", m.parameter("s"));
    assertEquals("a\\\\b", m.parameter("bs"));
    assertEquals("a\"b", m.parameter("q"));
    assertEquals("é", m.parameter("u"));
    assertEquals("😀", m.parameter("p"));
  }

  @Test
  void j7IgnoresUnknownStringFields() {
    assertEquals("X", Message.parse("{\"command\":\"X\",\"unknown\":\"y\"}").command());
  }

  @Test
  void j8AcceptsAMissingCommandThatCannotBeWrittenBack() {
    Message m = Message.parse("{\"server\":\"a\"}");
    assertEquals("", m.command());
    assertEquals("a", m.server());
    MessageException e = assertThrows(MessageException.class, m::toMessage);
    assertEquals(
        "message::to_message(): cannot build a valid message without at least a command.",
        e.getMessage());
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("J9", "{}", "JSON message expected a string defining the field name."),
        Arguments.of(
            "J10",
            "{\"command\":\"X\"} extra",
            "JSON message followed by more data after the last '}'."),
        Arguments.of(
            "J11", "{\"command\":5}", "JSON message expected a string as the field value."),
        Arguments.of(
            "J12",
            "{\"command\":\"X\",\"other\":{}}",
            "JSON message expected an object to define parameters."),
        Arguments.of(
            "J13",
            "{\"command\":\"X\",\"parameters\":{\"a\":[1]}}",
            "JSON message expected a parameter value."),
        Arguments.of(
            "J13",
            "{\"command\":\"X\",\"parameters\":{\"a\":{}}}",
            "JSON message expected a parameter value."),
        Arguments.of(
            "J14",
            "{\"command\":\"X\"",
            "JSON message parameter expected to be followed by '}' or ','."),
        Arguments.of(
            "parameters not an object",
            "{\"command\":\"X\",\"parameters\":5}",
            "JSON message expected an object to define parameters."),
        Arguments.of(
            "bad parameter name",
            "{\"command\":\"X\",\"parameters\":{\"a-b\":1}}",
            "could not accept message because parameter name \"a-b\" is not considered valid:"
                + " event_dispatcher_exception: a message name (command, server, service,"
                + " parameter, etc.) must be composed of ASCII 'a'..'z', 'A'..'Z', '0'..'9', or"
                + " '_' only (also a command must be uppercase only), \"a-b\" is not valid."),
        Arguments.of(
            "J16 read",
            "{\"command\":\"X\",\"parameters\":{\"h\":0x1A}}",
            "JSON message parameter expected to be followed by '}' or ','."),
        Arguments.of(
            "bad number",
            "{\"command\":\"X\",\"parameters\":{\"n\":-inf}}",
            "JSON message has an invalid number \"-i\"."),
        Arguments.of(
            "unterminated string", "{\"command\":\"X", "JSON message has an unterminated string."),
        Arguments.of(
            "raw control character",
            "{\"command\":\"X\u0001\"}",
            "JSON message has a raw control character in a string; it must be escaped."),
        Arguments.of(
            "bad escape",
            "{\"command\":\"\\x\"}",
            "JSON message has an invalid escape sequence \"\\x\"."),
        Arguments.of(
            "missing colon",
            "{\"command\" \"X\"}",
            "JSON message expected a colon (:) after a field name."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String id, String json, String reason) {
    MessageException e = assertThrows(MessageException.class, () -> Message.parse(json));
    assertEquals(reason, e.getMessage());
  }

  @Test
  void j15ABracketIsAStringMessage() {
    assertEquals("[]", Message.parse("[]").command());
  }

  @Test
  void j16WritesNonJsonNumbersAsStrings() {
    Message m =
        new Message()
            .setCommand("X")
            .addParameter("h", "0x1A")
            .addParameter("n", "-inf")
            .addParameter("z", "007")
            .addParameter("d", "1.")
            .addParameter("c", "tab\there\u0001");
    String json = m.toJson();
    assertEquals(
        "{\"command\":\"X\",\"parameters\":{\"c\":\"tab\\there\\u0001\",\"d\":\"1.\","
            + "\"h\":\"0x1A\",\"n\":\"-inf\",\"z\":\"007\"}}",
        json);
    assertEquals(m, Message.parse(json));
  }

  @Test
  void theJsonCacheFollowsSetters() {
    Message m = new Message().setCommand("A");
    assertEquals("{\"command\":\"A\"}", m.toJson());
    m.setCommand("B");
    assertEquals("{\"command\":\"B\"}", m.toJson());
    m.addParameter("x", "y");
    assertEquals("{\"command\":\"B\",\"parameters\":{\"x\":\"y\"}}", m.toJson());
  }
}
