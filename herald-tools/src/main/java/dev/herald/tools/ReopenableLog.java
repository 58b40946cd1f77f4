package dev.herald.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A service's own log file, appended to line by line, that {@link #reopen()} closes and opens again
 * by name: after logrotate renamed it ({@code mv FILE FILE.1}), the next lines go to a new {@code
 * FILE}. Each line is written whole with one {@code write} (the file is opened with {@code
 * O_APPEND}), so that lines from a rename's both sides never mix. Used on one thread (the loop's).
 *
 * <p>A service logging through SLF4J reopens its backend's appender instead: with Logback, {@code
 * stop()} then {@code start()} on the {@code FileAppender}; with Log4j 2, {@code
 * LoggerContext.reconfigure()}.
 */
final class ReopenableLog implements AutoCloseable {
  private final Path file;
  private final String prefix;
  private OutputStream out;
  private boolean failed;

  private ReopenableLog(Path file, String prefix) {
    this.file = file;
    this.prefix = prefix;
  }

  /**
   * Opens {@code file} for appending, creating it if needed.
   *
   * @param file the log file
   * @param prefix what every line starts with after the time, e.g. {@code herald_service[1234]}
   * @throws UncheckedIOException if the file cannot be opened (the message names it)
   */
  static ReopenableLog open(Path file, String prefix) {
    ReopenableLog log = new ReopenableLog(file, prefix);
    try {
      log.out = openFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open log file '"
              + file
              + "' for appending: "
              + e.getMessage()
              + "; check that its directory exists and is writable",
          e);
    }
    return log;
  }

  /** A log that writes nothing: for a service run without a log file. */
  static ReopenableLog none() {
    return new ReopenableLog(null, "");
  }

  private static OutputStream openFile(Path file) throws IOException {
    return Files.newOutputStream(
        file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  /** Appends {@code text} as one line, after the time (UTC) and the prefix. */
  void line(String text) {
    if (out == null) {
      return;
    }
    byte[] bytes =
        (Instant.now() + " " + prefix + ": " + text + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      out.write(bytes);
      out.flush();
      failed = false;
    } catch (IOException e) {
      complain("cannot write to log file '" + file + "': " + e.getMessage());
    }
  }

  /**
   * Closes the file and opens {@code FILE} again: a renamed file is left to its new name. When it
   * cannot be opened (its directory is gone), lines are dropped, with one complaint on stderr,
   * until a later reopen succeeds.
   */
  void reopen() {
    if (file == null) {
      return;
    }
    close();
    try {
      out = openFile(file);
      failed = false;
    } catch (IOException e) {
      complain("cannot reopen log file '" + file + "': " + e.getMessage());
    }
  }

  /** Says once on stderr that the log fails, rather than once per line. */
  private void complain(String message) {
    if (!failed) {
      failed = true;
      System.err.println("herald service: " + message);
    }
  }

  @Override
  public void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      complain("cannot close log file '" + file + "': " + e.getMessage());
    }
    out = null;
  }
}
