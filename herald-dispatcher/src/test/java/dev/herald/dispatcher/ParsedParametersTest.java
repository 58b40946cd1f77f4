package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

/**
 * Parameters in any order and with duplicates end up sorted by name in byte order with the last
 * duplicate kept (§1.1), in both forms, and large messages in reverse order do not cost quadratic
 * time.
 */
class ParsedParametersTest {
  private final MessageParser parser = new MessageParser();

  @Provide
  Arbitrary<List<Tuple2<String, String>>> pairs() {
    // Few distinct names so that duplicates are common; up to 80 pairs so merge sort runs too.
    Arbitrary<String> names = Arbitraries.of("a", "B", "_c", "d9", "Z", "zz", "m", "a_", "A");
    Arbitrary<String> values = Arbitraries.strings().alpha().numeric().ofMaxLength(4);
    return names.flatMap(n -> values.map(v -> Tuple.of(n, v))).list().ofMaxSize(80);
  }

  @Property(tries = 2_000)
  void lastDuplicateWinsAndNamesAreSorted(@ForAll("pairs") List<Tuple2<String, String>> pairs) {
    Map<String, String> expected = new TreeMap<>();
    StringBuilder wire = new StringBuilder("MSG");
    StringBuilder json = new StringBuilder("{\"command\":\"MSG\",\"parameters\":{");
    for (int i = 0; i < pairs.size(); i++) {
      Tuple2<String, String> p = pairs.get(i);
      expected.put(p.get1(), p.get2());
      wire.append(i == 0 ? ' ' : ';').append(p.get1()).append('=').append(p.get2());
      json.append(i == 0 ? "" : ",").append('"').append(p.get1()).append("\":\"");
      json.append(p.get2()).append('"');
    }
    json.append("}}");
    for (Message m : new Message[] {parser.parse(wire.toString()), parser.parse(json.toString())}) {
      assertEquals(expected, m.parameters());
      List<String> names = new ArrayList<>();
      for (int i = 0; i < m.parameterCount(); i++) {
        names.add(m.parameterName(i));
      }
      assertEquals(List.copyOf(expected.keySet()), names);
    }
  }

  @Test
  void aLargeMessageInReverseOrderIsNotQuadratic() {
    // 1 MiB of parameters in descending order: inserting each at its place would shift every
    // earlier one (some 10^10 moves); sorting once takes milliseconds.
    StringBuilder wire = new StringBuilder("MSG ");
    int n = 0;
    while (wire.length() < MessageParser.DEFAULT_MAXIMUM_SIZE - 16) {
      n++;
      wire.append('p').append(String.format("%07d", 9_999_999 - n)).append("=v;");
    }
    byte[] bytes = wire.toString().getBytes(StandardCharsets.US_ASCII);
    int count = n;
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int round = 0; round < 3; round++) {
            Message m = parser.parse(bytes);
            assertEquals(count, m.parameterCount());
            assertEquals("p" + (9_999_999 - count), m.parameterName(0));
          }
        });
  }

  @Test
  void aParserReusedAfterAFailureStartsClean() {
    MessageParser reused = new MessageParser();
    assertThrows(MessageException.class, () -> reused.parse("MSG b=1;a=2;c=\"unterminated"));
    assertEquals(Map.of("x", "1"), reused.parse("MSG x=1").parameters());
    assertThrows(
        MessageException.class, () -> reused.parse("{\"command\":\"X\",\"parameters\":{\"b\":1,"));
    assertEquals(Map.of(), reused.parse("STOP").parameters());
  }
}
