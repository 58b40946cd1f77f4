package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines cut from reads split anywhere. */
class LineFramerTest {
  private static final String PAYLOAD = "ALIVE serial=1\r\n\nHELP\nx=\"a;b\"\r\n\r\nend\n";
  private static final List<String> LINES =
      List.of("ALIVE serial=1", "", "HELP", "x=\"a;b\"", "", "end");

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Feeds {@code data} cut at {@code cuts} and returns the lines, or null if one was too long. */
  private static List<String> feed(LineFramer framer, byte[] data, int... cuts) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    int[] ends = new int[cuts.length + 1];
    System.arraycopy(cuts, 0, ends, 0, cuts.length);
    ends[cuts.length] = data.length;
    for (int end : ends) {
      // Each read lands in a reused buffer, at an offset, with garbage around it.
      byte[] read = new byte[end - from + 6];
      java.util.Arrays.fill(read, (byte) '\n');
      System.arraycopy(data, from, read, 3, end - from);
      boolean ok =
          framer.feed(
              read,
              3,
              end - from,
              (line, offset, length) -> {
                lines.add(new String(line, offset, length, StandardCharsets.UTF_8));
                return true;
              });
      if (!ok) {
        return null;
      }
      from = end;
    }
    return lines;
  }

  @Test
  void linesSplitAtAnyOneOrTwoBytesComeOutWhole() {
    byte[] data = bytes(PAYLOAD);
    assertEquals(LINES, feed(new LineFramer(100), data));
    for (int a = 0; a <= data.length; a++) {
      LineFramer framer = new LineFramer(100);
      assertEquals(LINES, feed(framer, data, a), "cut at " + a);
      assertEquals(0, framer.pending());
      for (int b = a; b <= data.length; b++) {
        assertEquals(LINES, feed(new LineFramer(100), data, a, b), "cuts at " + a + ", " + b);
      }
    }
  }

  @Test
  void everyByteInItsOwnRead() {
    byte[] data = bytes(PAYLOAD);
    int[] cuts = new int[data.length - 1];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    assertEquals(LINES, feed(new LineFramer(100), data, cuts));
  }

  @Test
  void theMaximumCountsTheLineWithoutItsTerminator() {
    String sixteen = "0123456789abcdef";
    for (String end : List.of("\n", "\r\n")) {
      byte[] data = bytes(sixteen + end);
      for (int cut = 0; cut <= data.length; cut++) {
        assertEquals(List.of(sixteen), feed(new LineFramer(16), data, cut), end + " cut " + cut);
        assertEquals(null, feed(new LineFramer(15), data, cut), end + " cut " + cut);
      }
    }
  }

  @Test
  void aLineTooLongIsKnownBeforeItEnds() {
    LineFramer framer = new LineFramer(16);
    assertEquals(List.of("ok"), feed(framer, bytes("ok\n0123456789abcdef\r")));
    assertEquals(17, framer.pending()); // 16 bytes and a '\r' may still end well
    assertFalse(framer.feed(bytes("x"), 0, 1, (line, offset, length) -> true));
    assertEquals(0, framer.pending());

    // One byte over that is not a '\r' is enough to know.
    assertEquals(null, feed(new LineFramer(16), bytes("0123456789abcdefX")));
    assertEquals(null, feed(new LineFramer(16), bytes("0123456789abcdefX"), 16));
  }

  @Test
  void theLinesBeforeATooLongOneAreDelivered() {
    List<String> seen = new ArrayList<>();
    boolean ok =
        new LineFramer(4)
            .feed(
                bytes("one\ntwo\nthree\nfour\n"),
                0,
                19,
                (line, offset, length) ->
                    seen.add(new String(line, offset, length, StandardCharsets.UTF_8)));
    assertFalse(ok);
    assertEquals(List.of("one", "two"), seen);
  }

  @Test
  void aSinkThatStopsGetsNoMoreLines() {
    List<String> seen = new ArrayList<>();
    LineFramer framer = new LineFramer(100);
    assertTrue(
        framer.feed(
            bytes("a\nb\nc"),
            0,
            5,
            (line, offset, length) -> {
              seen.add(new String(line, offset, length, StandardCharsets.UTF_8));
              return false;
            }));
    assertEquals(List.of("a"), seen);
  }
}
