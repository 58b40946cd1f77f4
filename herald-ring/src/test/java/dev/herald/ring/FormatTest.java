package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.os.FileStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatTest {
  @Test
  void storageSizesOfTheWorkedExamples() {
    RingSize daemon =
        RingSize.ofShifts(RingSize.DEFAULT_DESCRIPTOR_SHIFT, RingSize.DEFAULT_PAYLOAD_SHIFT);
    assertEquals(2_097_152, daemon.descriptorCapacity());
    assertEquals(642L << 20, daemon.storageSize(), "exec daemon defaults: a 642 MiB file");
    RingSize small = RingSize.ofShifts(16, 27);
    assertEquals(140_509_184L, small.storageSize());
    assertEquals(2L << 20, small.descriptorsOffset());
    assertEquals(6L << 20, small.payloadOffset(), "every section starts on a 2 MiB boundary");
    RingSize withContext = new RingSize(1 << 16, 1 << 27, 4 << 20);
    assertEquals(small.storageSize() + (4 << 20), withContext.storageSize());
  }

  @Test
  void sizeLimits() {
    RingSize.ofShifts(32, 40);
    assertEquals(
        RingException.Kind.BAD_SIZE,
        assertThrows(RingException.class, () -> RingSize.ofShifts(33, 27)).kind());
    assertThrows(RingException.class, () -> RingSize.ofShifts(16, 41));
    assertThrows(RingException.class, () -> new RingSize(3 << 16, 1 << 27, 0));
    assertThrows(RingException.class, () -> new RingSize(1 << 16, 1 << 27, 3 << 21));
    assertThrows(RingException.class, () -> new RingSize(1 << 16, 1 << 27, 1 << 20));
  }

  @Test
  void execSchemaHasTwentyFiveEventTypesInCodeOrder() {
    assertEquals(ExecEventType.COUNT, ContentType.EXEC.kinds().size());
    assertEquals(25, ExecEventType.values().length);
    assertEquals("NONE", ContentType.EXEC.kind(0).cName());
    assertEquals("RECORD_ERROR", ContentType.EXEC.kind(1).cName());
    assertEquals("BLOCK_START", ContentType.EXEC.kind(2).cName());
    assertEquals("BLOCK_VERIFIED", ContentType.EXEC.kind(9).cName());
    assertEquals("TXN_HEADER_START", ContentType.EXEC.kind(10).cName());
    assertEquals("TXN_END", ContentType.EXEC.kind(20).cName());
    assertEquals("EVM_ERROR", ContentType.EXEC.kind(24).cName());
    assertEquals(new EventKind.Unknown(25), ContentType.EXEC.kind(25));
    for (EventKind k : ContentType.EXEC.kinds()) {
      assertEquals(k, ExecEventType.ofCode(k.code()));
    }
    assertEquals(
        List.of("NONE", "RECORD_ERROR", "TEST_COUNTER", "TEST_VLT"),
        ContentType.TEST.kinds().stream().map(EventKind::cName).toList());
    assertEquals("exec", ContentType.ofCode(2).ringName());
    assertEquals(null, ContentType.ofCode(3));
  }

  @Test
  void procLocksLinesAreMatchedByDeviceAndInode() {
    // st_dev 0x1b on major 0 minor 0x1b; another file on the same device; a POSIX lock; a waiter.
    FileStatus ring = new FileStatus(0x1b, 4, 0, 0);
    List<String> lines =
        List.of(
            "1: FLOCK  ADVISORY  WRITE 17090 00:1b:4 0 EOF",
            "2: FLOCK  ADVISORY  READ 17091 00:1b:5 0 EOF",
            "3: POSIX  ADVISORY  WRITE 17092 00:1b:4 0 EOF",
            "3: -> FLOCK  ADVISORY  WRITE 17093 00:1b:4 0 EOF",
            "4: FLOCK  ADVISORY  READ 17094 08:01:4 0 EOF");
    assertEquals(
        List.of(new RingLiveness.FlockHolder(17090, true)), RingLiveness.flockHolders(lines, ring));
    List<String> shared =
        List.of(
            "1: FLOCK  ADVISORY  READ 100 00:1b:4 0 EOF",
            "2: FLOCK  ADVISORY  READ 101 00:1b:4 0 EOF");
    assertEquals(2, RingLiveness.flockHolders(shared, ring).size());
  }
}
