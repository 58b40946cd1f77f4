package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventWatchFormatTest {
  private static final Pattern LINE =
      Pattern.compile(
          "\\d\\d:\\d\\d:\\d\\d\\.\\d{9}: [A-Z_]+ \\[\\d+ 0x[0-9a-f]+\\] SEQ: \\d+ LEN: \\d+"
              + " BUF_OFF: \\d+( BLK: (\\d+|<LOST>))?( TXN: \\d+)?");

  @Test
  void upstreamSnapshotLinesHaveTheEventwatchShape() {
    try (EventRing ring = EventRing.openSnapshot(UpstreamData.emn1b(), ContentType.EXEC)) {
      EventWatchFormat format = new EventWatchFormat(ring, ZoneOffset.UTC);
      EventReader reader = ring.reader();
      EventDescriptor d = new EventDescriptor();
      List<String> lines = new ArrayList<>();
      while (reader.poll(d) == PollResult.EVENT) {
        lines.add(format.summary(d));
      }
      assertEquals(6_597, lines.size());
      for (String line : lines) {
        assertTrue(LINE.matcher(line).matches(), line);
      }
      String first = lines.getFirst();
      assertTrue(first.contains(": BLOCK_START [2 0x2] SEQ: 1 LEN: 528 BUF_OFF: 0 BLK: "), first);
      long txnLines = lines.stream().filter(l -> l.contains(" TXN: ")).count();
      assertTrue(txnLines > 0);
      assertTrue(lines.stream().anyMatch(l -> l.contains("TXN_LOG [18 0x12]")));
    }
  }

  /**
   * Upstream eventwatch.c: {@code "%08lx "}, then {@code "%02x"} per byte, a space after byte 8.
   */
  private static String upstreamHexdump(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int line = 0; line < bytes.length; line += 16) {
      sb.append(String.format("%08x ", line));
      for (int b = 0; b < 16 && line + b < bytes.length; b++) {
        sb.append(String.format("%02x", bytes[line + b] & 0xff));
        if (b == 7) {
          sb.append(' ');
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String hexdump(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    EventWatchFormat.hexdump(MemorySegment.ofArray(bytes), sb);
    return sb.toString();
  }

  @Test
  void hexdumpLayout() {
    byte[] bytes = new byte[20];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 17);
    }
    assertEquals(
        "00000000 0011223344556677 8899aabbccddeeff\n" + "00000010 10213243\n", hexdump(bytes));
    assertEquals("00000000 0000000000000000 0000000000000000\n", hexdump(new byte[16]));
  }

  @Test
  void hexdumpMatchesUpstreamByteForByteAtEveryLength() {
    for (int n = 0; n <= 300; n++) {
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = (byte) (i * 37 + n);
      }
      assertEquals(upstreamHexdump(bytes), hexdump(bytes), "length " + n);
    }
  }
}
