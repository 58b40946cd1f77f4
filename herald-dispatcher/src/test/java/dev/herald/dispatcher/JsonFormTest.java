package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON vectors (§1.8), with Herald's documented fixes: valid JSON when a service is set,
 * strings unescaped once, numbers kept as written, values that are not JSON numbers written as
 * strings; upstream's rejections with its texts in its order, and what Herald refuses on top (lone
 * surrogate escapes, invalid UTF-8, raw control characters).
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

  private static final String NOT_CLOSED = "JSON message not properly closed, '}' missing.";
  private static final String FIELD_NAME =
      "JSON message expected a string defining the field name.";
  private static final String FIELD_VALUE = "JSON message expected a string as the field value.";
  private static final String PARAMETER_NAME =
      "JSON message expected a string defining the parameter name.";
  private static final String PARAMETER_VALUE = "JSON message expected a parameter value.";
  private static final String FOLLOWED =
      "JSON message parameter expected to be followed by '}' or ','.";

  /** Upstream's checks, in its order, with its texts (§1.8 and its {@code from_json}). */
  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("J9", "{}", FIELD_NAME),
        Arguments.of(
            "J10",
            "{\"command\":\"X\"} extra",
            "JSON message followed by more data after the last '}'."),
        Arguments.of("J11", "{\"command\":5}", FIELD_VALUE),
        Arguments.of(
            "J12",
            "{\"command\":\"X\",\"other\":{}}",
            "JSON message expected an object to define parameters."),
        Arguments.of("J13", "{\"command\":\"X\",\"parameters\":{\"a\":[1]}}", PARAMETER_VALUE),
        Arguments.of("J13", "{\"command\":\"X\",\"parameters\":{\"a\":{}}}", PARAMETER_VALUE),
        Arguments.of("J14", "{\"command\":\"X\"", FOLLOWED),
        Arguments.of("a lone brace", "{", NOT_CLOSED),
        Arguments.of("a lone brace and blanks", " {\t ", NOT_CLOSED),
        Arguments.of("nothing after a comma", "{\"command\":\"X\",", NOT_CLOSED),
        Arguments.of("a comma before the brace", "{\"command\":\"X\",}", FIELD_NAME),
        Arguments.of("a number as a field name", "{5:\"X\"}", FIELD_NAME),
        Arguments.of(
            "missing field colon",
            "{\"command\" \"X\"}",
            "JSON message expected a colon after an object field name."),
        Arguments.of(
            "missing parameter colon",
            "{\"command\":\"X\",\"parameters\":{\"a\" 1}}",
            "JSON message expected a colon after an object parameter name."),
        Arguments.of("no field value", "{\"command\":", FIELD_VALUE),
        Arguments.of("parameters a number", "{\"command\":\"X\",\"parameters\":5}", FIELD_VALUE),
        Arguments.of(
            "parameters never closed", "{\"command\":\"X\",\"parameters\":{", PARAMETER_NAME),
        Arguments.of(
            "a comma before the parameters' brace",
            "{\"command\":\"X\",\"parameters\":{\"a\":1,}}",
            PARAMETER_NAME),
        Arguments.of(
            "junk after a parameter", "{\"command\":\"X\",\"parameters\":{\"a\":1 2}}", FOLLOWED),
        Arguments.of("J16 read", "{\"command\":\"X\",\"parameters\":{\"h\":0x1A}}", FOLLOWED),
        Arguments.of("a leading zero", "{\"command\":\"X\",\"parameters\":{\"z\":007}}", FOLLOWED),
        Arguments.of(
            "bad parameter name",
            "{\"command\":\"X\",\"parameters\":{\"a-b\":1}}",
            "could not accept message because parameter name \"a-b\" is not considered valid:"
                + " event_dispatcher_exception: a message name (command, server, service,"
                + " parameter, etc.) must be composed of ASCII 'a'..'z', 'A'..'Z', '0'..'9', or"
                + " '_' only (also a command must be uppercase only), \"a-b\" is not valid."),
        // Tokens upstream's tokenizer refuses: upstream's line for the place, then what and where.
        Arguments.of(
            "minus without digits",
            "{\"command\":\"X\",\"parameters\":{\"n\":-inf}}",
            PARAMETER_VALUE + " At byte 33: '-' is not followed by a digit."),
        Arguments.of(
            "number ending in a period",
            "{\"command\":\"X\",\"parameters\":{\"n\":1.}}",
            PARAMETER_VALUE + " At byte 33: the number \"1.\" has no digit after its period."),
        Arguments.of(
            "exponent without digits",
            "{\"command\":\"X\",\"parameters\":{\"n\":-1.5e+}}",
            PARAMETER_VALUE + " At byte 33: the number \"-1.5e+\" has no digit in its exponent."),
        Arguments.of(
            "a broken literal",
            "{\"command\":\"X\",\"parameters\":{\"t\":tru}}",
            PARAMETER_VALUE + " At byte 33: \"true\" expected."),
        Arguments.of(
            "unterminated field value",
            "{\"command\":\"X",
            FIELD_VALUE + " At byte 11: the string has no closing quote."),
        Arguments.of(
            "unterminated field name",
            "{\"comm",
            FIELD_NAME + " At byte 1: the string has no closing quote."),
        Arguments.of(
            "bad escape in a field value",
            "{\"command\":\"\\x\"}",
            FIELD_VALUE + " At byte 12: unknown escape \"\\x\"."),
        Arguments.of(
            "bad escape in a field name",
            "{\"\\x\":\"X\"}",
            FIELD_NAME + " At byte 2: unknown escape \"\\x\"."),
        Arguments.of(
            "bad escape in a parameter name",
            "{\"command\":\"X\",\"parameters\":{\"\\q\":1}}",
            PARAMETER_NAME + " At byte 30: unknown escape \"\\q\"."),
        Arguments.of(
            "bad escape in a parameter value",
            "{\"command\":\"X\",\"parameters\":{\"s\":\"ab\\q\"}}",
            PARAMETER_VALUE + " At byte 36: unknown escape \"\\q\"."),
        Arguments.of(
            "short unicode escape",
            "{\"command\":\"\\u12\"}",
            FIELD_VALUE + " At byte 12: \\u is not followed by four hexadecimal digits."),
        Arguments.of(
            "a NUL byte in a string",
            "{\"command\":\"X\0\"}",
            FIELD_VALUE + " At byte 13: a NUL byte in a string."),
        // Herald's own checks come after upstream's.
        Arguments.of(
            "raw control character",
            "{\"command\":\"X\u0001\"}",
            "JSON message has a raw control character (U+0001) in a string at byte 13; it must be"
                + " escaped as \\u0001."),
        Arguments.of(
            "raw control character, then a bad number",
            "{\"command\":\"X\u0001\",\"parameters\":{\"a\":1.}}",
            PARAMETER_VALUE + " At byte 34: the number \"1.\" has no digit after its period."),
        Arguments.of(
            "bad parameter name, then a missing colon",
            "{\"command\":\"X\",\"parameters\":{\"a-b\" 1}}",
            "JSON message expected a colon after an object parameter name."),
        Arguments.of(
            "a command the string form cannot carry",
            "{\"command\":\"A B\"}",
            "a message command cannot include a space, \"A B\" is not valid."),
        Arguments.of(
            "a server the string form cannot carry",
            "{\"server\":\"a:b\",\"service\":\"s\",\"command\":\"X\"}",
            "a message server name cannot include ':', \"a:b\" is not valid."),
        Arguments.of(
            "a sent-from service with a line feed",
            "{\"sent-from-service\":\"a\\nb\",\"command\":\"X\"}",
            "a message sent-from service name cannot include a line feed, \"a\\u000ab\" is not"
                + " valid."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String id, String json, String reason) {
    MessageException e = assertThrows(MessageException.class, () -> Message.parse(json));
    assertEquals(reason, e.getMessage());
    assertEquals(MessageException.Kind.INVALID_MESSAGE, e.kind());
  }

  /** Surrogate escapes that are not a high-low pair have no UTF-8 form: refused, with where. */
  static Stream<Arguments> loneSurrogates() {
    String at34 = PARAMETER_VALUE + " At byte 34: ";
    return Stream.of(
        Arguments.of(
            "\\ud800", at34 + "the high surrogate \\ud800 is not followed by a low surrogate."),
        Arguments.of(
            "\\ud800x", at34 + "the high surrogate \\ud800 is not followed by a low surrogate."),
        Arguments.of(
            "\\uD800\\n", at34 + "the high surrogate \\ud800 is not followed by a low surrogate."),
        Arguments.of(
            "\\ud800\\u0041",
            at34 + "the high surrogate \\ud800 is followed by \\u0041, not by a low surrogate."),
        Arguments.of(
            "\\udbff\\ud800",
            at34 + "the high surrogate \\udbff is followed by \\ud800, not by a low surrogate."),
        Arguments.of(
            "\\udc00", at34 + "the low surrogate \\udc00 has no high surrogate before it."),
        Arguments.of(
            "\\uDFFFa", at34 + "the low surrogate \\udfff has no high surrogate before it."),
        Arguments.of(
            "\\ud83d\\ude00\\ude00",
            PARAMETER_VALUE
                + " At byte 46: the low surrogate \\ude00 has no high surrogate before it."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loneSurrogates")
  void rejectsLoneSurrogateEscapes(String escaped, String reason) {
    String json = "{\"command\":\"X\",\"parameters\":{\"s\":\"" + escaped + "\"}}";
    MessageException e = assertThrows(MessageException.class, () -> Message.parse(json));
    assertEquals(reason, e.getMessage());
  }

  @Test
  void rejectsLoneSurrogatesInNamesToo() {
    assertEquals(
        FIELD_NAME + " At byte 2: the high surrogate \\ud800 is not followed by a low surrogate.",
        assertThrows(MessageException.class, () -> Message.parse("{\"\\ud800\":\"X\"}"))
            .getMessage());
    assertEquals(
        FIELD_VALUE + " At byte 12: the low surrogate \\udc00 has no high surrogate before it.",
        assertThrows(MessageException.class, () -> Message.parse("{\"command\":\"\\udc00\"}"))
            .getMessage());
    assertEquals("\uD800\uDC00", Message.parse("{\"command\":\"\\ud800\\udc00\"}").command());
  }

  private static byte[] bytes(String before, int[] raw, String after) {
    byte[] head = before.getBytes(StandardCharsets.UTF_8);
    byte[] tail = after.getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + raw.length + tail.length);
    for (int k = 0; k < raw.length; k++) {
      all[head.length + k] = (byte) raw[k];
    }
    System.arraycopy(tail, 0, all, head.length + raw.length, tail.length);
    return all;
  }

  /** Bytes that are not UTF-8 in a JSON string: refused, with the byte and where it is. */
  static Stream<Arguments> invalidUtf8() {
    String value = "{\"command\":\"X\",\"parameters\":{\"s\":\"a";
    String close = "\"}}";
    String at35 = PARAMETER_VALUE + " At byte 35: invalid UTF-8 ";
    return Stream.of(
        Arguments.of("truncated", bytes(value, new int[] {0xC3}, close), at35 + "(byte 0xc3)."),
        Arguments.of(
            "truncated three", bytes(value, new int[] {0xE2, 0x82}, close), at35 + "(byte 0xe2)."),
        Arguments.of("continuation", bytes(value, new int[] {0x80}, close), at35 + "(byte 0x80)."),
        Arguments.of("0xff", bytes(value, new int[] {0xFF}, close), at35 + "(byte 0xff)."),
        Arguments.of(
            "overlong", bytes(value, new int[] {0xC0, 0x80}, close), at35 + "(byte 0xc0)."),
        Arguments.of(
            "overlong three",
            bytes(value, new int[] {0xE0, 0x80, 0xAF}, close),
            at35 + "(byte 0xe0)."),
        Arguments.of(
            "encoded surrogate",
            bytes(value, new int[] {0xED, 0xA0, 0x80}, close),
            at35 + "(byte 0xed)."),
        Arguments.of(
            "above U+10FFFF",
            bytes(value, new int[] {0xF4, 0x90, 0x80, 0x80}, close),
            at35 + "(byte 0xf4)."),
        Arguments.of(
            "after an escape",
            bytes(value + "\\n", new int[] {0xC3, 'x'}, close),
            PARAMETER_VALUE + " At byte 37: invalid UTF-8 (byte 0xc3)."),
        Arguments.of(
            "in the command",
            bytes("{\"command\":\"", new int[] {0xFF}, "\"}"),
            FIELD_VALUE + " At byte 12: invalid UTF-8 (byte 0xff)."),
        Arguments.of(
            "in a field name",
            bytes("{\"com", new int[] {0xC3, 0x28}, "mand\":\"X\"}"),
            FIELD_NAME + " At byte 5: invalid UTF-8 (byte 0xc3)."),
        Arguments.of(
            "in a parameter name",
            bytes("{\"command\":\"X\",\"parameters\":{\"", new int[] {0xE9}, "\":1}}"),
            PARAMETER_NAME + " At byte 30: invalid UTF-8 (byte 0xe9)."),
        Arguments.of(
            "between tokens", bytes("{", new int[] {0xFF}, "\"command\":\"X\"}"), FIELD_NAME));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void rejectsInvalidUtf8(String id, byte[] json, String reason) {
    MessageException e =
        assertThrows(MessageException.class, () -> new MessageParser().parse(json));
    assertEquals(reason, e.getMessage());
  }

  @Test
  void positionsCountFromTheStartOfTheGivenRange() {
    byte[] json = "xx  {\"command\":\"\\udc00\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        FIELD_VALUE + " At byte 14: the low surrogate \\udc00 has no high surrogate before it.",
        assertThrows(
                MessageException.class, () -> new MessageParser().parse(json, 2, json.length - 2))
            .getMessage());
  }

  @Test
  void readsWellFormedUtf8() {
    Message m =
        new MessageParser()
            .parse(
                "{\"command\":\"X\",\"parameters\":{\"s\":\"é€😀\",\"t\":\"\\né€😀\"}}"
                    .getBytes(StandardCharsets.UTF_8));
    assertEquals("é€😀", m.parameter("s"));
    assertEquals("\né€😀", m.parameter("t"));
    assertEquals("\uFFFD", Message.parse("{\"command\":\"\uFFFD\"}").command());
  }

  @Test
  void aStringParametersFieldIsIgnoredAsUpstreamIgnoresIt() {
    Message m = Message.parse("{\"command\":\"X\",\"parameters\":\"a=1\"}");
    assertEquals("X", m.command());
    assertEquals(0, m.parameterCount());
  }

  @Test
  void toJsonRefusesAMessageWithoutACommandAsToMessageDoes() {
    Message[] commandless = {
      new Message(),
      new Message().setServer("a").setService("b").addParameter("x", "1"),
      Message.parse("{\"server\":\"a\"}")
    };
    for (Message m : commandless) {
      MessageException e = assertThrows(MessageException.class, m::toJson);
      assertEquals(
          "message::to_json(): cannot build a valid JSON message without at least a command.",
          e.getMessage());
      assertEquals(MessageException.Kind.INVALID_MESSAGE, e.kind());
      assertThrows(MessageException.class, () -> new MessageWriter().writeJson(m));
      assertEquals(
          MessageException.Kind.INVALID_MESSAGE,
          assertThrows(MessageException.class, m::toMessage).kind());
    }
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
