package dev.herald.nats;

import dev.herald.ring.RingHeader;
import dev.herald.ring.RingSize;
import io.nats.client.impl.Headers;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Reads the messages {@link RingMessages} describes, one after another. A stream holds long runs of
 * one ring's events, so the {@value RingMessages#RING} value is parsed only when it changes; the
 * descriptor fields are parsed in place, without splitting the value into strings.
 */
final class RingMessageDecoder {
  private String ringValue;
  private String ringId;
  private RingHeader ring;

  /**
   * Decodes one message.
   *
   * @param headers the message headers
   * @param body the payload, or null
   * @param where names the message in errors; asked only when one is thrown
   * @return the event or gap marker
   * @throws NatsException of kind {@link NatsException.Kind#BAD_MESSAGE} if a header is missing or
   *     malformed
   */
  StreamEntry read(Headers headers, byte[] body, Supplier<String> where) {
    if (headers == null) {
      throw bad(where, "it has no headers: it was not published by a Herald ring exporter");
    }
    try {
      String value = required(headers, RingMessages.RING, where);
      if (!value.equals(ringValue)) {
        parseRing(value, where);
      }
      String event = headers.getFirst(RingMessages.EVENT);
      if (event != null) {
        Fields f = new Fields(event, RingMessages.EVENT, where);
        long seqno = f.nextUnsigned();
        int type = f.nextInt();
        long recordNanos = f.nextSigned();
        long[] tags = {f.nextUnsigned(), f.nextUnsigned(), f.nextUnsigned(), f.nextUnsigned()};
        f.finish();
        return new StreamEntry.Event(
            ringId, ring, seqno, type, recordNanos, tags, body == null ? new byte[0] : body);
      }
      String gap = required(headers, RingMessages.GAP, where);
      int dash = gap.indexOf('-');
      int space = gap.indexOf(' ');
      if (dash < 1 || space < dash) {
        throw bad(where, RingMessages.GAP + " '" + gap + "' is not 'FIRST-LAST NANOS'");
      }
      long first = Long.parseUnsignedLong(gap, 0, dash, 10);
      long last = Long.parseUnsignedLong(gap, dash + 1, space, 10);
      long detected = Long.parseLong(gap, space + 1, gap.length(), 10);
      if (first == 0 || Long.compareUnsigned(first, last) > 0) {
        throw bad(where, RingMessages.GAP + " '" + gap + "' is not a range FIRST-LAST of seqnos");
      }
      return new StreamEntry.Gap(ringId, ring, first, last, detected);
    } catch (NatsException e) {
      throw e;
    } catch (RuntimeException e) { // a number that does not parse, sizes no ring can have, ...
      throw new NatsException(
          NatsException.Kind.BAD_MESSAGE,
          where.get() + " has a malformed Herald header (" + e.getMessage() + ")",
          e);
    }
  }

  private void parseRing(String value, Supplier<String> where) {
    Fields f = new Fields(value, RingMessages.RING, where); // the source, last, is for people
    String id = f.nextToken();
    int type = f.nextInt();
    byte[] schema;
    try {
      schema = HexFormat.of().parseHex(f.nextToken());
    } catch (IllegalArgumentException e) {
      throw bad(where, RingMessages.RING + " has a schema hash that is not hex digits");
    }
    String[] sizes = f.nextToken().split(":");
    if (sizes.length != 3) {
      throw bad(where, RingMessages.RING + " sizes must be three numbers separated by ':'");
    }
    RingHeader header =
        new RingHeader(
            type,
            schema,
            new RingSize(
                Long.parseLong(sizes[0]), Long.parseLong(sizes[1]), Long.parseLong(sizes[2])));
    ringValue = value;
    ringId = id;
    ring = header;
  }

  private static String required(Headers headers, String name, Supplier<String> where) {
    String value = headers.getFirst(name);
    if (value == null) {
      throw bad(
          where, "header " + name + " is missing: it was not published by a Herald ring exporter");
    }
    return value;
  }

  private static NatsException bad(Supplier<String> where, String what) {
    return new NatsException(NatsException.Kind.BAD_MESSAGE, where.get() + ": " + what);
  }

  /** The space-separated fields of one header value, read left to right in place. */
  private static final class Fields {
    private final String value;
    private final String name;
    private final Supplier<String> where;
    private int at;

    Fields(String value, String name, Supplier<String> where) {
      this.value = value;
      this.name = name;
      this.where = where;
    }

    /** Where the next field ends: at the next space or at the end of the value. */
    private int end() {
      if (at > value.length()) {
        throw bad(where, name + " has too few fields: '" + value + "'");
      }
      int space = value.indexOf(' ', at);
      return space < 0 ? value.length() : space;
    }

    /** Fails if fields are left over. */
    void finish() {
      if (at <= value.length()) {
        throw bad(where, name + " has too many fields: '" + value + "'");
      }
    }

    String nextToken() {
      int from = at;
      int end = end();
      at = end + 1;
      return value.substring(from, end);
    }

    long nextUnsigned() {
      int from = at;
      int end = end();
      at = end + 1;
      return Long.parseUnsignedLong(value, from, end, 10);
    }

    long nextSigned() {
      int from = at;
      int end = end();
      at = end + 1;
      return Long.parseLong(value, from, end, 10);
    }

    int nextInt() {
      int from = at;
      int end = end();
      at = end + 1;
      return Integer.parseInt(value, from, end, 10);
    }
  }
}
