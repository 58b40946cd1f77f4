package dev.herald.ring;

import java.lang.foreign.MemorySegment;

/**
 * The TEST_VLT payload of the {@link ContentType#TEST} schema: {@code {uint32_t vlt_1_length;
 * uint32_t vlt_2_length;}} followed directly by the two variable-length byte arrays, in order, with
 * no padding between them (the upstream VLT layout).
 *
 * <pre>{@code
 * byte[] a = {1, 2, 3};
 * byte[] b = {4, 5};
 * writer.reserve(r, TestEventType.TEST_VLT.code(), TestVlt.sizeOf(a, b));
 * TestVlt.write(r, a, b).commit();
 * TestVlt back = TestVlt.read(ring.payload(d));
 * }</pre>
 *
 * @param vlt1 the first array
 * @param vlt2 the second array
 */
public record TestVlt(byte[] vlt1, byte[] vlt2) {
  /** Size of the fixed part (two lengths). */
  public static final int HEADER_SIZE = 8;

  /**
   * The payload size for two arrays.
   *
   * @param vlt1 the first array
   * @param vlt2 the second array
   * @return {@code 8 + vlt1.length + vlt2.length}
   */
  public static long sizeOf(byte[] vlt1, byte[] vlt2) {
    return HEADER_SIZE + (long) vlt1.length + vlt2.length;
  }

  /**
   * Writes the payload into a reservation of {@link #sizeOf} bytes.
   *
   * @param r the reservation
   * @param vlt1 the first array
   * @param vlt2 the second array
   * @return {@code r}
   */
  public static Reservation write(Reservation r, byte[] vlt1, byte[] vlt2) {
    return r.putInt(0, vlt1.length)
        .putInt(4, vlt2.length)
        .putBytes(HEADER_SIZE, vlt1)
        .putBytes(HEADER_SIZE + (long) vlt1.length, vlt2);
  }

  /**
   * Decodes a payload.
   *
   * @param payload the event's payload
   * @return the two arrays
   * @throws IllegalArgumentException if the lengths do not fit in the payload
   */
  public static TestVlt read(MemorySegment payload) {
    if (payload.byteSize() < HEADER_SIZE) {
      throw new IllegalArgumentException("TEST_VLT payload of " + payload.byteSize() + " bytes");
    }
    long n1 = Integer.toUnsignedLong(payload.get(RingLayout.INT, 0));
    long n2 = Integer.toUnsignedLong(payload.get(RingLayout.INT, 4));
    if (HEADER_SIZE + n1 + n2 > payload.byteSize()) {
      throw new IllegalArgumentException(
          "TEST_VLT lengths "
              + n1
              + " + "
              + n2
              + " exceed the "
              + payload.byteSize()
              + "-byte payload");
    }
    return new TestVlt(
        payload.asSlice(HEADER_SIZE, n1).toArray(RingLayout.BYTE),
        payload.asSlice(HEADER_SIZE + n1, n2).toArray(RingLayout.BYTE));
  }

  /**
   * Copies the arrays.
   *
   * @param vlt1 the first array
   * @param vlt2 the second array
   */
  public TestVlt {
    vlt1 = vlt1.clone();
    vlt2 = vlt2.clone();
  }

  @Override
  public byte[] vlt1() {
    return vlt1.clone();
  }

  @Override
  public byte[] vlt2() {
    return vlt2.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TestVlt t
        && java.util.Arrays.equals(t.vlt1, vlt1)
        && java.util.Arrays.equals(t.vlt2, vlt2);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(vlt1) * 31 + java.util.Arrays.hashCode(vlt2);
  }

  @Override
  public String toString() {
    return "TestVlt[" + vlt1.length + " + " + vlt2.length + " bytes]";
  }
}
