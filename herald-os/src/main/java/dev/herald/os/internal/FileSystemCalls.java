package dev.herald.os.internal;

import dev.herald.os.Errno;
import dev.herald.os.OsException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Path operations {@link java.nio.file.Files} does not offer: a rename that never replaces, and an
 * unlink that reports a missing file instead of throwing.
 *
 * <pre>{@code
 * // Publish a fully initialised file under its final name, failing if the name is taken.
 * if (!FileSystemCalls.renameNoReplace(tmp, target)) {
 *   throw new IllegalStateException(target + " already exists");
 * }
 * }</pre>
 */
public final class FileSystemCalls {
  private static final int AT_FDCWD = -100;
  private static final int RENAME_NOREPLACE = 1;

  private FileSystemCalls() {}

  /**
   * Renames {@code from} to {@code to} with {@code renameat2(RENAME_NOREPLACE)}: atomic, and never
   * replaces an existing {@code to}.
   *
   * @param from the current name
   * @param to the new name
   * @return true if renamed, false if {@code to} already exists (EEXIST)
   * @throws OsException on any other failure (e.g. ENOENT, EXDEV, EINVAL where the file system
   *     cannot do it)
   */
  public static boolean renameNoReplace(Path from, Path to) {
    try (Arena arena = Arena.ofConfined()) {
      int rc =
          Libc.RENAMEAT2.call(
              AT_FDCWD,
              arena.allocateFrom(from.toString()),
              AT_FDCWD,
              arena.allocateFrom(to.toString()),
              RENAME_NOREPLACE);
      if (rc == -Errno.EEXIST) {
        return false;
      }
      OsException.check(rc, "renameat2(RENAME_NOREPLACE, " + to + ")", from.toString());
      return true;
    }
  }

  /**
   * Removes a name ({@code unlink}).
   *
   * @param path the name to remove
   * @return true if removed, false if it did not exist (ENOENT)
   * @throws OsException on any other failure
   */
  public static boolean unlink(Path path) {
    try (Arena arena = Arena.ofConfined()) {
      int rc = Libc.UNLINK.call(arena.allocateFrom(path.toString()));
      if (rc == -Errno.ENOENT) {
        return false;
      }
      OsException.check(rc, "unlink", path.toString());
      return true;
    }
  }
}
