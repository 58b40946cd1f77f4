package dev.herald.ring;

import java.util.HexFormat;
import java.util.List;

/**
 * What a ring carries ({@code monad_event_content_type}): the code in the header, the name tools
 * print, the 32-byte schema hash a reader checks, and the schema's event types.
 *
 * <pre>{@code
 * ContentType type = ContentType.ofCode(header.contentTypeCode());
 * EventKind kind = type.kind(descriptor.eventType()); // e.g. ExecEventType.TXN_LOG
 * }</pre>
 */
public enum ContentType {
  /** Code 0: invalid in a ring file. */
  NONE("none", new byte[32], List.of()),
  /** Code 1: the test schema (all-zero hash), see {@link TestEventType}. */
  TEST("test", new byte[32], List.of(TestEventType.values())),
  /** Code 2: the Monad execution daemon's events, see {@link ExecEventType}. */
  EXEC(
      "exec",
      HexFormat.of().parseHex("8933f907c432c98ac0c8db62f9aa164c0c3f1672f41290e4ea3408df6c6723f3"),
      List.of(ExecEventType.values()));

  private static final ContentType[] BY_CODE = values();

  private final String ringName;
  private final byte[] schemaHash;
  private final List<EventKind> kinds;

  ContentType(String ringName, byte[] schemaHash, List<? extends EventKind> kinds) {
    this.ringName = ringName;
    this.schemaHash = schemaHash;
    this.kinds = List.copyOf(kinds);
  }

  /**
   * The type with this header code.
   *
   * @param code the header's {@code content_type}
   * @return the type, or null for an unknown code
   */
  public static ContentType ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /**
   * The code stored in the header.
   *
   * @return 0, 1 or 2
   */
  public int code() {
    return ordinal();
  }

  /**
   * The upstream name: {@code none}, {@code test} or {@code exec}.
   *
   * @return the name
   */
  public String ringName() {
    return ringName;
  }

  /**
   * The 32-byte schema hash a ring of this type must carry.
   *
   * @return a fresh copy of the hash
   */
  public byte[] schemaHash() {
    return schemaHash.clone();
  }

  /** Compares without copying. */
  boolean schemaHashEquals(byte[] other) {
    return java.util.Arrays.equals(schemaHash, other);
  }

  /**
   * The schema's event types, indexed by code.
   *
   * @return the types
   */
  public List<EventKind> kinds() {
    return kinds;
  }

  /**
   * The event type with this code.
   *
   * @param code a descriptor's {@code event_type}
   * @return the type, or an {@link EventKind.Unknown} for a code outside the schema
   */
  public EventKind kind(int code) {
    return code >= 0 && code < kinds.size() ? kinds.get(code) : new EventKind.Unknown(code);
  }
}
