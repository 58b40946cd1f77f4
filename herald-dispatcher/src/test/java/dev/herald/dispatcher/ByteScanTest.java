package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.ByteRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The eight-bytes-at-a-time scans find exactly what a byte-by-byte loop finds. */
class ByteScanTest {
  private static int naive(byte[] b, int from, int to, int... wanted) {
    for (int i = from; i < to; i++) {
      for (int w : wanted) {
        if (b[i] == (byte) w) {
          return i;
        }
      }
    }
    return to;
  }

  @Property(tries = 3_000)
  void scansMatchANaiveLoop(
      @ForAll @Size(max = 70) @ByteRange(min = -128, max = 127) byte[] raw,
      @ForAll @IntRange(max = 69) int start,
      @ForAll @IntRange(max = 69) int stop) {
    // Bias the content towards the searched bytes so that matches sit at every position.
    byte[] b = raw.clone();
    for (int i = 0; i < b.length; i++) {
      int pick = Math.floorMod(b[i], 16);
      if (pick < 5) {
        b[i] = (byte) new int[] {'"', '\\', ';', 0, 0x1F}[pick];
      }
    }
    int from = Math.min(start, b.length);
    int to = Math.max(from, Math.min(stop, b.length));
    assertEquals(naive(b, from, to, '"', '\\'), ByteScan.indexOfEither(b, from, to, '"', '\\'));
    assertEquals(naive(b, from, to, ';', '\\', 0), ByteScan.indexOfAny(b, from, to, ';', '\\', 0));
    int jsonStop = to;
    for (int i = from; i < to; i++) {
      if (b[i] == '"' || b[i] == '\\' || (b[i] >= 0 && b[i] < 0x20)) {
        jsonStop = i;
        break;
      }
    }
    assertEquals(jsonStop, ByteScan.indexOfJsonStop(b, from, to));
  }
}
