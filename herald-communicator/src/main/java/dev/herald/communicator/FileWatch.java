package dev.herald.communicator;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * One watch of a {@link FileChangeConnection}, as the user asked for it: a path, the events wanted,
 * the glob patterns that names must match, and the kernel watches it is spread over (the path
 * itself and, under {@link FileEvent#RECURSIVE}, each subdirectory).
 */
final class FileWatch {
  /** The characters that make the last segment of a watched path a pattern. */
  private static final String GLOB_CHARACTERS = "*?[{";

  /** The path as given, without its pattern: what events report as their watched path. */
  final Path path;

  /** The absolute, normalised path: the identity of the watch. */
  final Path key;

  /** {@code inotify_add_watch} flags of the watch's kind (follow links or not, directory only). */
  final int kindFlags;

  int events;

  /** The patterns (upstream merges them); empty when any name matches. */
  private final List<PathMatcher> patterns = new ArrayList<>();

  /** Where the watch is in the kernel: the directory relative to {@link #path} → its wd. */
  final Map<Path, Integer> placements = new HashMap<>();

  /** False once stopped or gone: its remaining events are not reported. */
  boolean active = true;

  private FileWatch(Path path, int events, int kindFlags, String pattern) {
    this.path = path;
    this.key = path.toAbsolutePath().normalize();
    this.events = events;
    this.kindFlags = kindFlags;
    addPattern(pattern);
  }

  /**
   * Splits {@code pathAndPattern} into the path and its pattern (upstream's {@code
   * path_and_pattern}): a last segment holding a glob character ({@code *}, {@code ?}, {@code [} or
   * an opening brace) is a glob pattern.
   */
  static FileWatch of(String connection, Path pathAndPattern, int events, int kindFlags) {
    Path last = pathAndPattern.getFileName();
    String pattern = "*";
    Path path = pathAndPattern;
    if (last != null && isPattern(last.toString())) {
      pattern = last.toString();
      path = pathAndPattern.getParent() == null ? Path.of(".") : pathAndPattern.getParent();
    }
    for (Path segment : path) {
      if (isPattern(segment.toString())) {
        throw new CommunicatorException(
            CommunicatorException.Kind.PARAMETER_ERROR,
            "file-change connection \""
                + connection
                + "\": the path "
                + pathAndPattern
                + " has a pattern before its last segment; only the names inside a watched"
                + " directory can be matched by a pattern.");
      }
    }
    return new FileWatch(path, events, kindFlags, checked(connection, pattern));
  }

  /** The pattern of a path given again, split the same way; "*" when it has none. */
  static String patternOf(Path pathAndPattern) {
    Path last = pathAndPattern.getFileName();
    return last != null && isPattern(last.toString()) ? last.toString() : "*";
  }

  private static boolean isPattern(String segment) {
    return segment.chars().anyMatch(c -> GLOB_CHARACTERS.indexOf(c) >= 0);
  }

  private static String checked(String connection, String pattern) {
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      return pattern;
    } catch (PatternSyntaxException e) {
      throw new CommunicatorException(
          CommunicatorException.Kind.PARAMETER_ERROR,
          "file-change connection \""
              + connection
              + "\": \""
              + pattern
              + "\" is not a valid glob pattern: "
              + e.getDescription()
              + ".");
    }
  }

  /** Adds a pattern, as upstream merges them: "*" anywhere means every name. */
  void merge(String connection, int moreEvents, String pattern) {
    boolean everything = patterns.isEmpty();
    events |= moreEvents;
    if (!everything) {
      addPattern(checked(connection, pattern));
    }
  }

  private void addPattern(String pattern) {
    if (pattern.equals("*")) {
      patterns.clear();
      return;
    }
    patterns.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
  }

  /** Whether a file name (one segment) matches one of the patterns. */
  boolean matches(String name) {
    if (patterns.isEmpty()) {
      return true;
    }
    Path file = Path.of(name).getFileName();
    for (PathMatcher pattern : patterns) {
      if (pattern.matches(file)) {
        return true;
      }
    }
    return false;
  }

  boolean recursive() {
    return (events & FileEvent.RECURSIVE) != 0;
  }

  /** The kernel events the watch needs. */
  int kernelMask() {
    return FileEvent.toKernel(events);
  }

  @Override
  public String toString() {
    return "FileWatch(" + path + ")";
  }
}
