package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Setters, names, typed parameters, replies and the version parameter (§1.1, §1.4, §1.5). */
class MessageTest {
  private static final String PREFIX =
      "a message name (command, server, service, parameter, etc.) ";

  private static String refusal(Runnable setter) {
    MessageException e = assertThrows(MessageException.class, setter::run);
    assertEquals(MessageException.Kind.INVALID_MESSAGE, e.kind());
    return e.getMessage();
  }

  @Test
  void setCommandTakesWhatTheParserTakesAsACommand() {
    assertEquals(PREFIX + "cannot be empty.", refusal(() -> new Message().setCommand("")));
    for (String command : new String[] {"STOP_2", "Stop", "hello", "A-B.c", "1STOP", "[]", "é😀"}) {
      assertEquals(command, new Message().setCommand(command).command());
      assertEquals(command, Message.parse(command).command());
    }
    assertEquals(
        "a message command cannot include a space, \"A B\" is not valid.",
        refusal(() -> new Message().setCommand("A B")));
    assertEquals(
        "a message command cannot include ':', \"a:B\" is not valid.",
        refusal(() -> new Message().setCommand("a:B")));
    assertEquals(
        "a message command cannot include '/', \"a/B\" is not valid.",
        refusal(() -> new Message().setCommand("a/B")));
    assertEquals(
        "a message command cannot start with '<', \"<X\" is not valid.",
        refusal(() -> new Message().setCommand("<X")));
    assertEquals(
        "a message command cannot include a tab, \"A\\u0009B\" is not valid.",
        refusal(() -> new Message().setCommand("A\tB")));
    assertEquals(
        "a message command cannot include a NUL, \"A\\u0000\" is not valid.",
        refusal(() -> new Message().setCommand("A\0")));
    assertEquals(
        "a message command cannot include an unpaired UTF-16 surrogate, \"\\ud800X\" is not"
            + " valid.",
        refusal(() -> new Message().setCommand("\uD800X")));
    assertEquals("X<", new Message().setCommand("X<").command());
  }

  @Test
  void serverAndServiceTakeWhatTheParserTakesThere() {
    for (String name :
        new String[] {".", "*", "?", "", "snap_2", "lower", "a.b", "my-service", "**"}) {
      Message m = new Message().setServer(name).setService(name);
      assertEquals(name, m.server());
      assertEquals(name, m.service());
    }
    assertEquals(
        "a message server name cannot include ':', \"a:b\" is not valid.",
        refusal(() -> new Message().setServer("a:b")));
    assertEquals(
        "a message service name cannot include '/', \"a/b\" is not valid.",
        refusal(() -> new Message().setService("a/b")));
    assertEquals(
        "a message service name cannot include a line feed, \"a\\u000ab\" is not valid.",
        refusal(() -> new Message().setService("a\nb")));
    assertEquals(
        "a message server name cannot start with '<', \"<a\" is not valid.",
        refusal(() -> new Message().setServer("<a")));
    assertEquals(
        "a message service name cannot start with '{', \"{a\" is not valid.",
        refusal(() -> new Message().setService("{a")));
    assertEquals("a{", new Message().setService("a{").service());
  }

  @Test
  void sentFromTakesWhatTheParserTakesThere() {
    for (String name : new String[] {"", "host_1", ".", "my-host.example", "<a", "a/b"}) {
      assertEquals(name, new Message().setSentFromServer(name).sentFromServer());
    }
    for (String name : new String[] {"", "ed-signal", "a:b/c", "<x"}) {
      assertEquals(name, new Message().setSentFromService(name).sentFromService());
    }
    assertEquals(
        "a message sent-from server name cannot include ':', \"a:b\" is not valid.",
        refusal(() -> new Message().setSentFromServer("a:b")));
    assertEquals(
        "a message sent-from service name cannot include a space, \"a b\" is not valid.",
        refusal(() -> new Message().setSentFromService("a b")));
  }

  @Test
  void aParsedMessageCanBeRebuiltWithTheSetters() {
    Message parsed = Message.parse("<my-host.example:ed-signal a-b:c.d/A-B.c x=1");
    Message rebuilt =
        new Message()
            .setSentFromServer(parsed.sentFromServer())
            .setSentFromService(parsed.sentFromService())
            .setServer(parsed.server())
            .setService(parsed.service())
            .setCommand(parsed.command())
            .addParameter("x", "1");
    assertEquals(parsed, rebuilt);
    assertEquals("<my-host.example:ed-signal a-b:c.d/A-B.c x=1", rebuilt.toMessage());
  }

  @Test
  void parameterNamesAreValidated() {
    MessageException e =
        assertThrows(MessageException.class, () -> new Message().addParameter("a b", "1"));
    assertEquals(MessageException.Kind.INVALID_MESSAGE, e.kind());
    assertThrows(MessageException.class, () -> new Message().addParameter("", "1"));
    assertThrows(MessageException.class, () -> new Message().hasParameter("9a"));
    assertTrue(new Message().addParameter("_Ok9", "1").hasParameter("_Ok9"));
  }

  @Test
  void typedParametersAreWrittenAsUpstreamDoes() {
    Message m =
        new Message()
            .setCommand("T")
            .addParameter("i16", (short) -32768)
            .addParameter("i32", Integer.MAX_VALUE)
            .addParameter("i64", Long.MIN_VALUE)
            .addUnsignedParameter("u64", -1L)
            .addParameter("ts", new Timespec(1715440881, 500_000_000))
            .addParameter("whole", new Timespec(12, 0))
            .addParameter("v4", new InetSocketAddress(InetAddress.ofLiteral("10.0.0.1"), 4040))
            .addParameter("v6", new InetSocketAddress(InetAddress.ofLiteral("::1"), 4041));
    assertEquals(
        "T i16=-32768;i32=2147483647;i64=-9223372036854775808;ts=1715440881.5;"
            + "u64=18446744073709551615;v4=10.0.0.1:4040;v6=[::1]:4041;whole=12",
        m.toMessage());
    assertEquals(Long.MIN_VALUE, m.integerParameter("i64"));
    assertEquals(new Timespec(1715440881, 500_000_000), m.timespecParameter("ts"));
    assertEquals(4041, m.addressParameter("v6").getPort());
    assertEquals(InetAddress.ofLiteral("10.0.0.1"), m.addressParameter("v4").getAddress());
  }

  @ParameterizedTest
  @CsvSource({
    "0,0",
    "-35,-35",
    "+101,101",
    "007,7",
    "0x1A,26",
    "0X1a,26",
    "-0x10,-16",
    "0b101,5",
    "0o17,15",
    "0d99,99",
    "9223372036854775807,9223372036854775807",
    "-9223372036854775808,-9223372036854775808",
    "-0x8000000000000000,-9223372036854775808"
  })
  void integerGrammar(String text, long value) {
    assertEquals(
        value, new Message().setCommand("N").addParameter("n", text).integerParameter("n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "+",
        "-",
        "0x",
        "12a",
        "1.5",
        " 1",
        "1 ",
        "9223372036854775808",
        "0b2",
        "0o8",
        "--1",
        "١٢",
        "0xG"
      })
  void integerGrammarRejects(String text) {
    Message m = new Message().setCommand("N").addParameter("n", text);
    MessageException e = assertThrows(MessageException.class, () -> m.integerParameter("n"));
    assertEquals(
        "message::get_integer_parameter(): command \"N\" expected an integer for \"n\" but \""
            + text
            + "\" could not be converted.",
        e.getMessage());
  }

  @Test
  void missingParametersNameTheFunction() {
    Message m = new Message().setCommand("C");
    assertEquals(
        "message::get_parameter(): parameter \"p\" of command \"C\" not defined, try"
            + " has_parameter() before calling the get_parameter() function.",
        assertThrows(MessageException.class, () -> m.parameter("p")).getMessage());
    assertEquals(
        "message::get_integer_parameter(): parameter \"p\" of command \"C\" not defined, try"
            + " has_parameter() before calling the get_integer_parameter() function.",
        assertThrows(MessageException.class, () -> m.integerParameter("p")).getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "12,12,0",
    "'  12.5s ',12,500000000",
    "1715440881.543723981,1715440881,543723981",
    "1.1234567899,1,123456789",
    "+3.,3,0",
    "-1.5,-2,500000000",
    "-2,-2,0"
  })
  void timespecGrammar(String text, long seconds, int nanos) {
    assertEquals(new Timespec(seconds, nanos), Timespec.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".5", "1.2.3", "1ss", "s", "1 s", "abc", "99999999999999999999"})
  void timespecGrammarRejects(String text) {
    assertFalse(Timespec.isValid(text));
    Message m = new Message().setCommand("T").addParameter("t", text);
    assertEquals(
        "message::get_timespec_parameter(): command \"T\" expected a timespec for \"t\" but \""
            + text
            + "\" could not be converted.",
        assertThrows(MessageException.class, () -> m.timespecParameter("t")).getMessage());
  }

  @Test
  void timespecTextDropsTrailingZeros() {
    assertEquals("1715440881.5", new Timespec(1715440881, 500_000_000).toString());
    assertEquals("12", new Timespec(12, 0).toString());
    assertEquals("1715440882.000000123", new Timespec(1715440882, 123).toString());
    assertEquals("1715440882.000000000", new Timespec(1715440882, 0).toFullString());
    assertEquals("-1.5", new Timespec(-2, 500_000_000).toString());
    assertEquals(Instant.ofEpochSecond(5, 7), Timespec.of(Instant.ofEpochSecond(5, 7)).toInstant());
  }

  @Test
  void addressesAreLiteralOnly() {
    assertEquals(
        new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0),
        AddressText.parse("127.0.0.1"));
    assertEquals(4041, AddressText.parse("[::1]:4041").getPort());
    assertEquals(0, AddressText.parse("fe80::1").getPort());
    for (String v6 :
        new String[] {"::1", "::", "fe80::1", "2001:db8::1:0:0:1", "1:0:2::", "1:2:3:4:5:6:7:8"}) {
      assertEquals("[" + v6 + "]:7", AddressText.format(AddressText.parse("[" + v6 + "]:7")));
    }
    assertEquals("10.1.2.3:0", AddressText.format(AddressText.parse("10.1.2.3")));
    for (String bad :
        new String[] {"localhost:80", "1.2.3.4:", "1.2.3.4:99999", "[::1", "[::1]x"}) {
      assertFalse(AddressText.isValid(bad), bad);
    }
  }

  @Test
  void versionParameter() {
    Message m = new Message().setCommand("REGISTER").addVersionParameter();
    assertEquals("REGISTER version=1", m.toMessage());
    assertTrue(m.checkVersionParameter());
    assertFalse(m.addParameter("version", 2).checkVersionParameter());
    assertFalse(m.addParameter("version", "x").checkVersionParameter());
    assertFalse(new Message().setCommand("A").checkVersionParameter());
  }

  @Test
  void replyToCopiesNamesUpstreamWouldReject() {
    Message received = Message.parse("<my-host.example:ed-signal HELP");
    Message reply = new Message().setCommand("COMMANDS").addParameter("list", "HELP");
    reply.replyTo(received);
    assertEquals("my-host.example:ed-signal/COMMANDS list=HELP", reply.toMessage());
    assertEquals(reply, Message.parse(reply.toMessage()));
  }

  @Test
  void replyToRefusesNamesThatCannotBeAddressed() {
    Message received = Message.parse("<host:a:b/c HELP");
    assertEquals("a:b/c", received.sentFromService());
    MessageException e =
        assertThrows(MessageException.class, () -> new Message().setCommand("X").replyTo(received));
    assertTrue(e.getMessage().contains("\"a:b/c\""), e.getMessage());
  }

  @Test
  void theStringCacheFollowsEveryChange() {
    Message m = new Message().setCommand("A").addParameter("x", "1");
    assertEquals("A x=1", m.toMessage());
    m.addParameter("x", "2");
    assertEquals("A x=2", m.toMessage());
    m.removeParameter("x").setService("svc").setServer("srv");
    assertEquals("srv:svc/A", m.toMessage());
    m.setSentFromService("me");
    assertEquals("<:me srv:svc/A", m.toMessage());
  }

  @Test
  void equalityIgnoresNonWireState() {
    Message a = Message.parse("A x=1");
    Message b = Message.parse("A x=1");
    b.markProcessed();
    b.setOrigin((message, cache) -> true);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Message.parse("A x=2"));
    assertTrue(b.wasProcessed());
    assertFalse(a.wasProcessed());
  }

  @Test
  void parametersAreIndexedInByteOrder() {
    Message m = Message.parse("M c=3;a=1;B=2");
    assertEquals(3, m.parameterCount());
    assertEquals("B", m.parameterName(0));
    assertEquals("a", m.parameterName(1));
    assertEquals("3", m.parameterValue(2));
    assertThrows(IndexOutOfBoundsException.class, () -> m.parameterName(3));
  }
}
