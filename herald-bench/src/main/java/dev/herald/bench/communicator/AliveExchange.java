package dev.herald.bench.communicator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the clients send and how they count replies: the request is {@code ALIVE serial=42}, the
 * reply {@code ABSOLUTELY reply_timestamp=...;serial=42}, one per line; replies are counted by
 * their newlines, whatever the read boundaries.
 */
final class AliveExchange {
  static final byte[] REQUEST = "ALIVE serial=42\n".getBytes(StandardCharsets.US_ASCII);

  static final String REPLY_COMMAND = "ABSOLUTELY ";

  private AliveExchange() {}

  /** The newlines between the buffer's position and its limit. */
  static int replies(ByteBuffer read) {
    int lines = 0;
    for (int i = read.position(); i < read.limit(); i++) {
      if (read.get(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /** The first reply's text, to check that the server answers as it should. */
  static String firstLine(ByteBuffer read) {
    StringBuilder line = new StringBuilder();
    for (int i = read.position(); i < read.limit() && read.get(i) != '\n'; i++) {
      line.append((char) read.get(i));
    }
    return line.toString();
  }
}
