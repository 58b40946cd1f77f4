package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The small-payload path copies exactly the bytes asked for, as {@code MemorySegment.copy}. */
class PayloadCopyTest {
  @Test
  void copiesExactlyTheRangeForEverySmallSizeAndOffset() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment src = arena.allocate(64);
      for (int i = 0; i < 64; i++) {
        src.set(ValueLayout.JAVA_BYTE, i, (byte) (i + 1));
      }
      for (int n = 0; n <= 40; n++) {
        for (int from = 0; from < 8; from++) {
          for (int to = 0; to < 8; to++) {
            byte[] expected = new byte[64];
            java.util.Arrays.fill(expected, (byte) -1);
            MemorySegment.copy(src, from, MemorySegment.ofArray(expected), to, n);
            byte[] actual = new byte[64];
            java.util.Arrays.fill(actual, (byte) -1);
            PayloadCopy.copy(src, from, MemorySegment.ofArray(actual), to, n);
            assertArrayEquals(expected, actual, "n=" + n + " from=" + from + " to=" + to);
          }
        }
      }
    }
  }

  @Test
  void overlappingRangesMoveLikeMemmove() {
    for (int n = 8; n <= 16; n++) {
      byte[] expected = new byte[40];
      byte[] actual = new byte[40];
      for (int i = 0; i < 40; i++) {
        expected[i] = (byte) i;
        actual[i] = (byte) i;
      }
      MemorySegment e = MemorySegment.ofArray(expected);
      MemorySegment a = MemorySegment.ofArray(actual);
      MemorySegment.copy(e, 3, e, 7, n);
      PayloadCopy.copy(a, 3, a, 7, n);
      assertArrayEquals(expected, actual, "n=" + n);
    }
  }

  @Test
  void outOfBoundsIsRefusedBeforeAnyByteMoves() {
    byte[] dst = new byte[12];
    MemorySegment src = MemorySegment.ofArray(new byte[16]);
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> PayloadCopy.copy(src, 0, MemorySegment.ofArray(dst), 0, 16));
    assertArrayEquals(new byte[12], dst);
  }
}
