package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Example;

/**
 * The JSON form against a real JSON implementation: Python's {@code json} module reads every
 * message Herald writes (so the output is valid JSON), writes it back with its own escaping ({@code
 * \\u} escapes, surrogate pairs), and Herald reads that back to an equal message.
 */
class JsonPythonInteropTest {
  private static final String SCRIPT =
      """
      import json, sys
      for line in sys.stdin:
          obj = json.loads(line, parse_float=str, parse_int=str)
          assert isinstance(obj, dict), line
          for k, v in obj.get("parameters", {}).items():
              assert isinstance(v, (str, bool)), (k, v)
          print(json.dumps(obj), flush=False)
      """;

  @Example
  void pythonReadsAndWritesWhatHeraldReadsAndWrites() throws IOException, InterruptedException {
    List<Message> messages =
        new MessagePropertiesTest().messages().sampleStream().limit(2_000).toList();
    List<Message> extra =
        List.of(
            new Message()
                .setCommand("EMOJI")
                .addParameter("p", "😀 and é")
                .addParameter("c", "\u0000\u001f\u007f")
                .addParameter("n", "-0.5e+10"),
            Message.parse("<remote:firewall jungle:watchdog/CONNECT race=true;speed=1078"));
    List<Message> all = new ArrayList<>(messages);
    all.addAll(extra);

    Process python = new ProcessBuilder("python3", "-c", SCRIPT).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                      lines.add(line);
                    }
                  } catch (IOException e) {
                    lines.add("read failed: " + e);
                  }
                });
    try (Writer out = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8)) {
      for (Message m : all) {
        out.write(m.toJson());
        out.write('\n');
      }
    }
    assertEquals(true, python.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
    reader.join();
    assertEquals(0, python.exitValue(), String.join("\n", lines));
    assertEquals(all.size(), lines.size());
    MessageParser parser = new MessageParser();
    for (int i = 0; i < all.size(); i++) {
      assertEquals(all.get(i), parser.parse(lines.get(i)), lines.get(i));
    }
  }
}
