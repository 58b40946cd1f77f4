package dev.herald.communicator;

import dev.herald.dispatcher.MessageParser;

/**
 * How a {@link StreamConnection} cuts its input into the pieces its {@link StreamHandler} receives:
 * {@link Raw} bytes as they arrive, or {@link Lines}. A framing is a description, shared freely;
 * each connection keeps its own state.
 *
 * <pre>{@code
 * Framing.raw();                   // every read, as it comes
 * Framing.lines();                 // lines of up to 1 MiB, "\n" or "\r\n" ended
 * Framing.lines(64 * 1024);        // a tighter bound
 * }</pre>
 */
public sealed interface Framing {
  /** The default longest line: 1 MiB, herald-dispatcher's largest message. */
  int DEFAULT_MAXIMUM_LINE_LENGTH = MessageParser.DEFAULT_MAXIMUM_SIZE;

  /**
   * Bytes as they arrive: each read is handed over whole.
   *
   * @return the framing
   */
  static Framing raw() {
    return new Raw();
  }

  /**
   * Lines of up to {@link #DEFAULT_MAXIMUM_LINE_LENGTH} bytes.
   *
   * @return the framing
   */
  static Framing lines() {
    return new Lines(DEFAULT_MAXIMUM_LINE_LENGTH);
  }

  /**
   * Lines of up to {@code maximumLength} bytes.
   *
   * @param maximumLength the longest line accepted, without its terminator
   * @return the framing
   */
  static Framing lines(int maximumLength) {
    return new Lines(maximumLength);
  }

  /** Bytes as they arrive. */
  record Raw() implements Framing {}

  /**
   * Lines ended by {@code "\n"} or {@code "\r\n"}, handed over without the terminator. A line may
   * arrive in any number of reads, split at any byte. A line longer than {@code maximumLength}
   * closes the connection (with {@link CommunicatorException.Kind#LINE_TOO_LONG}) as soon as it is
   * known to be too long, without waiting for its end; bytes after the last line terminator at end
   * of stream are dropped.
   *
   * @param maximumLength the longest line accepted, without its terminator, at least 1
   */
  record Lines(int maximumLength) implements Framing {
    /**
     * Checks the length.
     *
     * @param maximumLength the longest line accepted, at least 1
     */
    public Lines {
      if (maximumLength < 1) {
        throw new IllegalArgumentException(
            "the maximum line length must be at least 1 byte, not " + maximumLength);
      }
    }
  }
}
