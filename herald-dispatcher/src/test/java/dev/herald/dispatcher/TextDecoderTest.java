package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The name cache reads words where it can and bytes near the end of a buffer; both must agree, or a
 * name would miss the cache depending on where it sits; and names that differ anywhere, the middle
 * of a long name included, must never be confused.
 */
class TextDecoderTest {
  @Property(tries = 500)
  void namesAreSharedWhereverTheySit(@ForAll @IntRange(min = 1, max = 30) int length) {
    TextDecoder text = new TextDecoder();
    byte[] name =
        "abcdefghijklmnopqrstuvwxyz_0123".substring(0, length).getBytes(StandardCharsets.US_ASCII);
    byte[] roomy = new byte[name.length + 20];
    System.arraycopy(name, 0, roomy, 3, name.length);
    String first = text.name(name, 0, name.length);
    assertSame(first, text.name(roomy, 3, 3 + name.length));
    assertEquals(new String(name, StandardCharsets.US_ASCII), first);
  }
}
