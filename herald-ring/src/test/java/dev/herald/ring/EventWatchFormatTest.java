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

  @Test
  void hexdumpLayout() {
    byte[] bytes = new byte[20];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 17);
    }
    StringBuilder sb = new StringBuilder();
    EventWatchFormat.hexdump(MemorySegment.ofArray(bytes), sb);
    assertEquals(
        "00000000 00 11 22 33 44 55 66 77  88 99 aa bb cc dd ee ff \n" + "00000010 10 21 32 43 \n",
        sb.toString());
  }
}
