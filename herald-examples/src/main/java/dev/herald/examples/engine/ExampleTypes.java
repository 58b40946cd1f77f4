package dev.herald.examples.engine;

import dev.herald.engine.EventCodec;
import dev.herald.engine.EventType;
import java.nio.charset.StandardCharsets;

/**
 * The example's event types, each with a typed codec: the wire form is {@code name ++ body}, the
 * body UTF-8 text for TypeA and TypeC and a decimal count for TypeB, as upstream's example.
 *
 * <pre>{@code
 * publisher.publish(ExampleTypes.B, new ExampleTypes.TypeB(17));   // wire: "TypeB17"
 * ExampleTypes.TypeB b = ExampleTypes.B.decode(inbox.take());
 * }</pre>
 */
public final class ExampleTypes {
  /** A text message from the producer. */
  public static final EventType TYPE_A = EventType.named("TypeA");

  /** A body length from the counter. */
  public static final EventType TYPE_B = EventType.named("TypeB");

  /** The Python plugin's goodbye. */
  public static final EventType TYPE_C = EventType.named("TypeC");

  /** Codec of {@link #TYPE_A}. */
  public static final EventCodec<TypeA> A =
      EventCodec.of(TYPE_A, a -> utf8(a.text()), body -> new TypeA(text(body)));

  /** Codec of {@link #TYPE_B}. */
  public static final EventCodec<TypeB> B =
      EventCodec.of(
          TYPE_B,
          b -> utf8(Integer.toString(b.count())),
          body -> new TypeB(Integer.parseInt(text(body))));

  /** Codec of {@link #TYPE_C}. */
  public static final EventCodec<TypeC> C =
      EventCodec.of(TYPE_C, c -> utf8(c.text()), body -> new TypeC(text(body)));

  /**
   * A TypeA event.
   *
   * @param text the message
   */
  public record TypeA(String text) {}

  /**
   * A TypeB event.
   *
   * @param count the length of a TypeA body
   */
  public record TypeB(int count) {}

  /**
   * A TypeC event.
   *
   * @param text the message
   */
  public record TypeC(String text) {}

  private ExampleTypes() {}

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
