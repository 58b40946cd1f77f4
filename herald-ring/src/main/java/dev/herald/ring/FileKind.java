package dev.herald.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a path names, from the type bits of {@code st_mode}. Rings and snapshots must be regular
 * files: opening a FIFO for reading blocks until a writer appears, and a directory or a device is
 * nothing to map or to remove, so every entry point checks the kind before it reads or unlinks.
 */
enum FileKind {
  REGULAR("a regular file"),
  DIRECTORY("a directory"),
  FIFO("a FIFO"),
  CHARACTER_DEVICE("a character device"),
  BLOCK_DEVICE("a block device"),
  SOCKET("a socket"),
  SYMBOLIC_LINK("a symbolic link"),
  UNKNOWN("not a regular file");

  private static final int S_IFMT = 0170000;

  private final String description;

  FileKind(String description) {
    this.description = description;
  }

  /** The kind of a file from its {@code st_mode}. */
  static FileKind of(int mode) {
    return switch (mode & S_IFMT) {
      case 0100000 -> REGULAR;
      case 0040000 -> DIRECTORY;
      case 0010000 -> FIFO;
      case 0020000 -> CHARACTER_DEVICE;
      case 0060000 -> BLOCK_DEVICE;
      case 0140000 -> SOCKET;
      case 0120000 -> SYMBOLIC_LINK;
      default -> UNKNOWN;
    };
  }

  /**
   * The kind of file {@code path} names (following symbolic links), without opening it.
   *
   * @return the kind, or null if nothing is there
   */
  static FileKind of(Path path) {
    try {
      return of((Integer) Files.getAttribute(path, "unix:mode"));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new RingException(RingException.Kind.IO, "cannot stat " + path + ": " + e, e);
    }
  }

  /**
   * Throws unless this is a regular file.
   *
   * @param path the path, for the message
   * @param role what the caller wanted it for, e.g. "an event ring"
   */
  void requireRegular(Path path, String role) {
    if (this != REGULAR) {
      throw new RingException(
          RingException.Kind.NOT_REGULAR_FILE,
          path + " is " + description + ", not a regular file: it cannot be " + role);
    }
  }
}
