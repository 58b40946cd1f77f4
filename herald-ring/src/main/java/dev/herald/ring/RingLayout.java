package dev.herald.ring;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Byte offsets of the RING01 format and the one var handle every atomic access goes through. All
 * integers are little-endian; every atomic field is an 8-byte aligned {@code uint64_t}.
 */
final class RingLayout {
  /** Sections start on 2 MiB boundaries (hugetlbfs pages). */
  static final long PAGE_2MB = 1L << 21;

  /** The largest page a mapping can end on partially without a fault (x86-64 base page). */
  static final long BASE_PAGE = 4096;

  /** {@code "RING01"}, no NUL. */
  static final byte[] MAGIC = {'R', 'I', 'N', 'G', '0', '1'};

  // struct monad_event_ring_header (192 bytes)
  static final long HDR_MAGIC = 0;
  static final long HDR_CONTENT_TYPE = 6;
  static final long HDR_SCHEMA_HASH = 8;
  static final long HDR_DESCRIPTOR_CAPACITY = 40;
  static final long HDR_PAYLOAD_BUF_SIZE = 48;
  static final long HDR_CONTEXT_AREA_SIZE = 56;
  static final long HDR_LAST_SEQNO = 64;
  static final long HDR_NEXT_PAYLOAD_BYTE = 72;
  static final long HDR_BUFFER_WINDOW_START = 128;
  static final long HEADER_SIZE = 192;

  // struct monad_event_descriptor (64 bytes, one cache line)
  static final long DESCRIPTOR_SIZE = 64;
  static final int DESCRIPTOR_SHIFT = 6;
  static final long DESC_SEQNO = 0;
  static final long DESC_EVENT_TYPE = 8;
  // event_type, 16 bits of padding and payload_size form one little-endian 8-byte word at
  // DESC_EVENT_TYPE: the writer stores it and readers load it with one access.
  static final long DESC_PAYLOAD_SIZE = 12;
  static final long DESC_RECORD_EPOCH_NANOS = 16;
  static final long DESC_PAYLOAD_BUF_OFFSET = 24;
  static final long DESC_CONTENT_EXT = 32;
  static final int CONTENT_EXT_COUNT = 4;

  /** {@code MONAD_EVENT_PAYLOAD_ALIGN}: allocations are rounded up to 16 bytes. */
  static final long PAYLOAD_ALIGN = 16;

  /** {@code WINDOW_INCR}: the payload window moves in 16 MiB steps. */
  static final long WINDOW_INCR = 1L << 24;

  static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  /** Atomic access to an aligned {@code uint64_t}: coordinates (segment, offset). */
  static final VarHandle ATOMIC_LONG = ValueLayout.JAVA_LONG.varHandle();

  private RingLayout() {}

  static long roundUpToAlign(long size) {
    return (size + PAYLOAD_ALIGN - 1) & -PAYLOAD_ALIGN;
  }
}
