package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The parsers and the setters agree on names: whatever either parser reads can be set again field
 * by field and written back identically, and a name a setter refuses is refused by the parser too.
 */
class NameConsistencyPropertiesTest {
  private final MessageParser parser = new MessageParser();

  // Plain name characters, those upstream's setters refuse but its parser takes, the string form's
  // delimiters, blanks, NUL, non-ASCII text and lone surrogates.
  private static final String NAME_CHARS =
      "aZ9_-.*?<>;=\"\\{[é€日:/ \t\n\r\u000B\f\u0000\uD800\uDC00";

  /** Any string form that parses: rebuilt with the setters, it is equal and written the same. */
  @Property(tries = 10_000)
  void parsedStringMessagesCanBeRebuiltWithTheSetters(@ForAll("stringMessages") String wire) {
    Message parsed = parsedOrNull(wire.getBytes(StandardCharsets.UTF_8));
    if (parsed != null) {
      assertRebuiltIdentically(parsed);
    }
  }

  /** The same from bytes, invalid UTF-8 included (the string form reads it as U+FFFD). */
  @Property(tries = 10_000)
  void parsedStringBytesCanBeRebuiltWithTheSetters(@ForAll("stringBytes") byte[] wire) {
    Message parsed = parsedOrNull(wire);
    if (parsed != null) {
      assertRebuiltIdentically(parsed);
    }
  }

  /** Any JSON form that parses: rebuilt with the setters, it is equal and written the same. */
  @Property(tries = 10_000)
  void parsedJsonMessagesCanBeRebuiltWithTheSetters(@ForAll("jsonMessages") String json) {
    Message parsed = parsedOrNull(json.getBytes(StandardCharsets.UTF_8));
    if (parsed != null) {
      assertRebuiltIdentically(parsed);
    }
  }

  /**
   * For every field and any name: the setter takes it exactly when the JSON reader (which can carry
   * any text) takes it in that field, and a name the setter takes reads back the same from both
   * forms. The one exception is an empty command, which JSON may leave out (upstream accepts that)
   * but nobody can write.
   */
  @Property(tries = 20_000)
  void settersAndParsersAgreeOnEveryName(
      @ForAll("fields") NameField field, @ForAll("names") String name) {
    if (field == NameField.COMMAND && name.isEmpty()) {
      return;
    }
    Message built = new Message().setCommand("X").setService("svc");
    boolean setterTakes;
    try {
      setter(field).accept(built, name);
      setterTakes = true;
    } catch (MessageException refused) {
      setterTakes = false;
    }
    String json =
        "{\"service\":\"svc\",\"command\":\"X\",\"" + key(field) + "\":" + json(name) + "}";
    Message parsed;
    try {
      parsed = parser.parse(json);
    } catch (MessageException refused) {
      parsed = null;
    }
    Statistics.label("taken").collect(setterTakes);
    Statistics.label("taken").coverage(c -> c.check(true).percentage(p -> p > 20));
    Statistics.label("taken").coverage(c -> c.check(false).percentage(p -> p > 20));
    assertEquals(setterTakes, parsed != null, json);
    if (setterTakes) {
      assertEquals(built, parsed, json);
      assertEquals(built, parser.parse(built.toMessage()), built.toMessage());
      assertEquals(built, parser.parse(built.toJson()), built.toJson());
    }
  }

  /**
   * The message, or null when refused; a good share of the inputs must parse, or nothing is shown.
   */
  private Message parsedOrNull(byte[] wire) {
    Message parsed;
    try {
      parsed = parser.parse(wire);
    } catch (MessageException refused) {
      parsed = null;
    }
    Statistics.label("parsed").collect(parsed != null);
    Statistics.label("parsed").coverage(c -> c.check(true).percentage(p -> p > 20));
    return parsed;
  }

  private void assertRebuiltIdentically(Message parsed) {
    Message rebuilt =
        new Message()
            .setSentFromServer(parsed.sentFromServer())
            .setSentFromService(parsed.sentFromService())
            .setServer(parsed.server())
            .setService(parsed.service());
    if (!parsed.command().isEmpty()) {
      rebuilt.setCommand(parsed.command());
    }
    for (int i = 0; i < parsed.parameterCount(); i++) {
      rebuilt.addParameter(parsed.parameterName(i), parsed.parameterValue(i));
    }
    assertEquals(parsed, rebuilt);
    if (parsed.command().isEmpty()) {
      return; // JSON without a command: nothing can write it
    }
    assertEquals(parsed.toMessage(), rebuilt.toMessage());
    assertEquals(parsed.toJson(), rebuilt.toJson());
    // The names read back from what was written (values have upstream's documented limits).
    Message names =
        new Message()
            .setSentFromServer(parsed.sentFromServer())
            .setSentFromService(parsed.sentFromService())
            .setServer(parsed.service().isEmpty() ? "" : parsed.server())
            .setService(parsed.service())
            .setCommand(parsed.command());
    assertEquals(names, parser.parse(names.toMessage()));
    assertEquals(names, parser.parse(names.toJson()));
  }

  private static BiConsumer<Message, String> setter(NameField field) {
    return switch (field) {
      case SENT_FROM_SERVER -> Message::setSentFromServer;
      case SENT_FROM_SERVICE -> Message::setSentFromService;
      case SERVER -> Message::setServer;
      case SERVICE -> Message::setService;
      case COMMAND -> Message::setCommand;
    };
  }

  private static String key(NameField field) {
    return switch (field) {
      case SENT_FROM_SERVER -> "sent-from-server";
      case SENT_FROM_SERVICE -> "sent-from-service";
      case SERVER -> "server";
      case SERVICE -> "service";
      case COMMAND -> "command";
    };
  }

  /** A JSON string for any text: surrogates always as escapes, so lone ones reach the reader. */
  private static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  @Provide
  Arbitrary<NameField> fields() {
    return Arbitraries.of(NameField.class);
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> plain =
        Arbitraries.strings().withChars("aZ9_-.é").ofMinLength(1).ofMaxLength(4);
    Arbitrary<String> any = Arbitraries.strings().withChars(NAME_CHARS).ofMaxLength(5);
    return Arbitraries.frequencyOf(Tuple.of(1, plain), Tuple.of(3, any));
  }

  @Provide
  Arbitrary<String> stringMessages() {
    Arbitrary<String> name = names();
    Arbitrary<String> sentFrom =
        Combinators.combine(name, name).as((server, service) -> "<" + server + ":" + service + " ");
    Arbitrary<String> destination =
        Arbitraries.oneOf(
            name.map(service -> service + "/"),
            Combinators.combine(name, name).as((server, service) -> server + ":" + service + "/"));
    Arbitrary<String> parameters =
        Arbitraries.strings().withChars("ab_=;\"\\ xé").ofMaxLength(12).map(p -> " a=" + p);
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just(""), sentFrom),
            Arbitraries.oneOf(Arbitraries.just(""), destination),
            name,
            Arbitraries.oneOf(Arbitraries.just(""), parameters))
        .as((from, to, command, params) -> from + to + command + params);
  }

  @Provide
  Arbitrary<byte[]> stringBytes() {
    Arbitrary<Byte> syntax =
        Arbitraries.of(
            (byte) '<',
            (byte) ':',
            (byte) '/',
            (byte) ' ',
            (byte) '=',
            (byte) ';',
            (byte) '-',
            (byte) '.',
            (byte) 'A',
            (byte) 'a',
            (byte) '\t',
            (byte) 0xC3,
            (byte) 0xA9,
            (byte) 0xFF,
            (byte) 0xED,
            (byte) 0xA0,
            (byte) 0x80);
    return Arbitraries.frequencyOf(Tuple.of(4, syntax), Tuple.of(1, Arbitraries.bytes()))
        .array(byte[].class)
        .ofMinSize(1)
        .ofMaxSize(24);
  }

  @Provide
  Arbitrary<String> jsonMessages() {
    Arbitrary<String> field =
        Combinators.combine(
                Arbitraries.of(
                    List.of(
                        "sent-from-server", "sent-from-service", "server", "service", "command")),
                names())
            .as((key, value) -> "\"" + key + "\":" + json(value));
    Arbitrary<String> parameter =
        Combinators.combine(
                Arbitraries.of("a", "b_1", "Z", "a-b"),
                Arbitraries.strings().withChars(NAME_CHARS).ofMaxLength(6))
            .as((key, value) -> "\"" + key + "\":" + json(value));
    Arbitrary<String> parameters =
        parameter
            .list()
            .ofMaxSize(3)
            .map(list -> "\"parameters\":{" + String.join(",", list) + "}");
    return Arbitraries.oneOf(field, field, field, parameters)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(members -> "{" + String.join(",", members) + "}");
  }
}
