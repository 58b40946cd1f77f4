package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Round trips through both forms for any message the setters can build, and a parser that, on any
 * bytes, returns a message or throws {@link MessageException} and nothing else.
 */
class MessagePropertiesTest {
  private final MessageParser parser = new MessageParser();

  @Property(tries = 5_000)
  void stringFormRoundTrips(@ForAll("messages") Message message) {
    assertEquals(message, parser.parse(message.toMessage()));
  }

  @Property(tries = 5_000)
  void jsonFormRoundTrips(@ForAll("messages") Message message) {
    assertEquals(message, parser.parse(message.toJson()));
  }

  /**
   * Cheap generation (one random array per try, no shrinking of the bytes' structure), so 100 000
   * tries fit the module's time budget.
   */
  @Property(tries = 100_000, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
  void parserOnlyEverThrowsMessageException(@ForAll("wireBytes") byte[] bytes) {
    try {
      Message m = parser.parse(bytes);
      if (!m.command().isEmpty()) {
        m.toMessage(); // whatever parsed can be written back
      }
      m.toJson();
    } catch (MessageException expected) {
      // the reason is the point; any other exception fails the property
    }
  }

  /** Uniform bytes, any length up to 200: no bias at all, every byte value equally likely. */
  @Property(tries = 100_000, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
  void parserOnlyEverThrowsMessageExceptionOnUniformBytes(@ForAll("uniformBytes") byte[] bytes) {
    try {
      Message m = parser.parse(bytes);
      if (!m.command().isEmpty()) {
        assertEquals(m.toMessage(), new MessageWriter().writeString(m).asString());
      }
      m.toJson();
    } catch (MessageException expected) {
      // the reason is the point; any other exception fails the property
    }
  }

  @Provide
  Arbitrary<byte[]> uniformBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  @Provide
  Arbitrary<byte[]> wireBytes() {
    // Biased towards the grammar's bytes so that deep paths are reached, with any byte possible.
    Arbitrary<Byte> syntax =
        Arbitraries.of(
            (byte) '<',
            (byte) ':',
            (byte) '/',
            (byte) ' ',
            (byte) '=',
            (byte) ';',
            (byte) '"',
            (byte) '\\',
            (byte) '{',
            (byte) '}',
            (byte) ',',
            (byte) 'n',
            (byte) 'A',
            (byte) 'a',
            (byte) '_',
            (byte) '0',
            (byte) '\n',
            (byte) 0,
            (byte) 0xC3,
            (byte) 0xA9);
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(Tuple.of(3, syntax), Tuple.of(1, any))
        .array(byte[].class)
        .ofMaxSize(48);
  }

  @Provide
  Arbitrary<Message> messages() {
    Arbitrary<String> names = names(true);
    Arbitrary<String> command = names(false);
    Arbitrary<String> destination =
        Arbitraries.oneOf(Arbitraries.of("", ".", "*", "?"), names(true));
    Arbitrary<Map<String, String>> parameters =
        Arbitraries.maps(names(true), values()).ofMaxSize(5);
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just(""), names),
            Arbitraries.oneOf(Arbitraries.just(""), names),
            destination,
            destination,
            command,
            parameters)
        .as(
            (sentFromServer, sentFromService, server, service, name, params) -> {
              Message m = new Message();
              m.setSentFromServer(sentFromServer);
              m.setSentFromService(sentFromService);
              m.setService(service);
              if (!service.isEmpty()) {
                m.setServer(server); // a server without a service is not sent
              }
              m.setCommand(name);
              params.forEach(m::addParameter);
              // The documented upstream limits of the string form: the whole message is trimmed,
              // so the last value loses trailing blanks; a quoted value cannot end in '\'.
              if (m.parameterCount() > 0) {
                String last = m.parameterName(m.parameterCount() - 1);
                m.addParameter(last, m.parameter(last).stripTrailing() + "x");
              }
              for (int i = 0; i < m.parameterCount(); i++) {
                String v = m.parameterValue(i);
                if (v.endsWith("\\")) {
                  m.addParameter(m.parameterName(i), v + "z");
                }
              }
              return m;
            });
  }

  private static Arbitrary<String> names(boolean lowercase) {
    Arbitrary<Character> first =
        lowercase
            ? Arbitraries.chars().range('a', 'z').with('A', 'Z', '_')
            : Arbitraries.chars().range('A', 'Z').with('_');
    Arbitrary<String> rest =
        (lowercase
                ? Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                : Arbitraries.strings().withCharRange('A', 'Z'))
            .withCharRange('0', '9')
            .withChars('_')
            .ofMaxLength(8);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  private static Arbitrary<String> values() {
    return Arbitraries.strings()
        .withChars(" ;=\"\\<>:/{}[],\t\n\r\u000B\u000Cnr0129.-+eEtruefalsxyé€日")
        .withCharRange('\u0001', '\u007F')
        .ofMaxLength(16)
        .filter(v -> v.indexOf('\0') < 0);
  }

  @Property(tries = 300)
  void integersRoundTrip(@ForAll long value) {
    Message m = new Message().setCommand("N").addParameter("n", value);
    assertEquals(value, parser.parse(m.toMessage()).integerParameter("n"));
    assertEquals(value, parser.parse(m.toJson()).integerParameter("n"));
  }

  @Property(tries = 300)
  void timespecsRoundTrip(@ForAll long seconds, @ForAll @IntRange(max = 999_999_999) int nanos) {
    Timespec t = new Timespec(seconds / 2, nanos);
    Message m = new Message().setCommand("T").addParameter("t", t);
    assertEquals(t, parser.parse(m.toMessage()).timespecParameter("t"));
    assertEquals(t, parser.parse(m.toJson()).timespecParameter("t"));
  }
}
