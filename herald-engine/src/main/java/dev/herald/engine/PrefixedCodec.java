package dev.herald.engine;

import java.util.function.Function;

/** The {@code filter ++ body} codec behind {@link EventCodec#of}. */
record PrefixedCodec<T>(
    EventType type, Function<? super T, byte[]> toBody, Function<byte[], ? extends T> fromBody)
    implements EventCodec<T> {

  @Override
  public byte[] encode(T value) {
    return type.prefixed(toBody.apply(value));
  }

  @Override
  public T decode(byte[] event) {
    return fromBody.apply(type.body(event));
  }
}
