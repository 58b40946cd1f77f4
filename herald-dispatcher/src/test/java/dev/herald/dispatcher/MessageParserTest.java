package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte parser: buffers, sizes, UTF-8, NUL bytes and shared names. */
class MessageParserTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void refusesInputAboveTheMaximumBeforeReadingIt() {
    MessageParser parser = new MessageParser(16);
    assertEquals("STOP", parser.parse(utf8("STOP x=123456789")).command());
    MessageException e =
        assertThrows(MessageException.class, () -> parser.parse(utf8("STOP x=1234567890")));
    assertEquals(
        "message of 17 bytes is larger than the maximum of 16 bytes; split it or raise the"
            + " parser's maximum size.",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MessageParser(0));
  }

  @Test
  void decodesUtf8Values() {
    Message m = new MessageParser().parse(utf8("MSG v=héllo wörld €;w=\"日本;語\""));
    assertEquals("héllo wörld €", m.parameter("v"));
    assertEquals("日本;語", m.parameter("w"));
    assertEquals("MSG v=héllo wörld €;w=\"日本;語\"", m.toMessage());
  }

  @Test
  void malformedUtf8BecomesReplacementCharacters() {
    byte[] bytes = {'M', ' ', 'v', '=', (byte) 0xC3, 'x'};
    assertEquals("\uFFFDx", new MessageParser().parse(bytes).parameter("v"));
  }

  @Test
  void aNulByteEndsTheStringFormAsInC() {
    byte[] bytes = {'S', 'T', 'O', 'P', 0, ' ', 'x', '=', '1'};
    Message m = new MessageParser().parse(bytes);
    assertEquals("STOP", m.command());
    assertEquals(0, m.parameterCount());
    byte[] leading = {0, 'S', 'T', 'O', 'P'};
    assertEquals(
        "a command is mandatory in a message.",
        assertThrows(MessageException.class, () -> new MessageParser().parse(leading))
            .getMessage());
  }

  @Test
  void aNulByteAnywhereEndsTheMessageThere() {
    MessageParser parser = new MessageParser();
    Message m = parser.parse(utf8("MSG a=1\0;b=2"));
    assertEquals(java.util.Map.of("a", "1"), m.parameters());
    assertEquals(java.util.Map.of("a", "1"), parser.parse(utf8("MSG a=1;\0b=2")).parameters());
    assertEquals(java.util.Map.of("v", "x"), parser.parse(utf8("MSG v=\"x\"\0junk")).parameters());
    assertEquals(java.util.Map.of("v", "a\\"), parser.parse(utf8("MSG v=a\\\\\0n")).parameters());
    assertEquals("svc", parser.parse(utf8("<srv:svc CMD\0 a=1")).sentFromService());
    String[][] rejected = {
      {"MSG v=\"x\0\"", "a quoted message parameter must end with a quote (\")."},
      {"<srv\0:svc CMD", "a message cannot only include a 'sent from service' definition."},
      {"<srv:s\0vc CMD", "a message cannot only include a 'sent from service' definition."},
      {"MSG a\0=1", "message parameters must be followed by an equal (=) character."},
      {"svc/\0CMD", "a command is mandatory in a message."},
    };
    for (String[] r : rejected) {
      assertEquals(
          r[1], assertThrows(MessageException.class, () -> parser.parse(utf8(r[0]))).getMessage());
    }
  }

  @Test
  void namesAreSharedBetweenMessages() {
    MessageParser parser = new MessageParser();
    Message a = parser.parse(utf8("<me:svc snap:cluckd/LOCK name=x;timeout=5"));
    Message b = parser.parse(utf8("<me:svc snap:cluckd/LOCK name=y;timeout=6"));
    assertSame(a.command(), b.command());
    assertSame(a.service(), b.service());
    assertSame(a.parameterName(0), b.parameterName(0));
    assertSame(a.parameterName(1), b.parameterName(1));
  }

  @Test
  void parsesLinesOutOfAStreamBuffer() {
    byte[] stream = utf8("ALIVE serial=1\nSTOP\r\n\nHELP\n");
    MessageParser parser = new MessageParser();
    StringBuilder commands = new StringBuilder();
    int start = 0;
    for (int i = 0; i < stream.length; i++) {
      if (stream[i] == '\n') {
        if (i > start && !(i - start == 1 && stream[start] == '\r')) {
          commands.append(parser.parse(stream, start, i - start).command()).append(',');
        }
        start = i + 1;
      }
    }
    assertEquals("ALIVE,STOP,HELP,", commands.toString());
  }

  @Test
  void rejectsBadRanges() {
    assertThrows(
        IndexOutOfBoundsException.class, () -> new MessageParser().parse(new byte[4], 2, 3));
  }
}
