package dev.herald.ring.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.ring.UpstreamData;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upstream fixture's JSON, reproduced byte for byte from the snapshot. */
class ExecJsonTest {
  @Test
  void theSnapshotReproducesTheFirst119UpdatesOfTheFixtureByteForByte() throws IOException {
    String expected;
    try (InputStream in =
        new ZstdInputStream(
            Files.newInputStream(UpstreamData.emn30bDir().resolve("expected.json.zst")))) {
      expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    assertEquals(15_099_957, expected.length());
    List<BlockUpdate> updates = SnapshotEvents.assemble(SnapshotEvents.all()).updates();
    assertEquals(119, updates.size());
    String actual = JsonText.pretty(updates.stream().map(ExecJson::update).toList()) + "\n";
    // The fixture has five more updates (captured after the snapshot): ours must be its prefix,
    // ending exactly where its 120th entry begins.
    String body = actual.substring(0, actual.length() - "\n]\n".length());
    String prefix = expected.substring(0, Math.min(body.length(), expected.length()));
    if (!body.equals(prefix)) {
      int at = 0;
      while (body.charAt(at) == prefix.charAt(at)) {
        at++;
      }
      int from = Math.max(0, at - 300);
      assertEquals(
          expected.substring(from, Math.min(expected.length(), at + 200)),
          body.substring(from, Math.min(body.length(), at + 200)),
          "first difference at byte " + at);
    }
    String next = ",\n  {\n    \"Referendum\"";
    assertEquals(next, expected.substring(body.length(), body.length() + next.length()));
  }

  @Test
  void prettyAndCompactTextAreWhatPythonWrites() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("d", true);
    inner.put("c", null);
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("e", Map.of());
    obj.put("b", List.of());
    obj.put("a", inner);
    List<Object> value = List.of(obj, "\u00e9\"\n", -1L);
    // json.dumps(value, indent=2, sort_keys=True) and with separators=(",", ":")
    assertEquals(
        "[\n  {\n    \"a\": {\n      \"c\": null,\n      \"d\": true\n    },\n    \"b\": [],\n"
            + "    \"e\": {}\n  },\n  \"\\u00e9\\\"\\n\",\n  18446744073709551615\n]",
        JsonText.pretty(value));
    assertEquals(
        "[{\"a\":{\"c\":null,\"d\":true},\"b\":[],\"e\":{}},\"\\u00e9\\\"\\n\",18446744073709551615]",
        JsonText.compact(value));
  }
}
