package dev.herald.ring;

import dev.herald.os.FileStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which file a path or an open descriptor is: its device and inode. A name can be replaced at any
 * moment (a restarted writer publishes a new ring under the same name), so before removing or
 * replacing a name Herald checks that it still names the file it holds.
 *
 * @param device {@code st_dev}
 * @param inode {@code st_ino}
 */
record FileIdentity(long device, long inode) {
  /** The identity of an open file, from its {@code fstat}. */
  static FileIdentity of(FileStatus status) {
    return new FileIdentity(status.device(), status.inode());
  }

  /**
   * The identity of the file {@code path} names now (following symbolic links).
   *
   * @return the identity, or null if nothing is there
   */
  static FileIdentity of(Path path) {
    try {
      Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino");
      return new FileIdentity(
          ((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new RingException(RingException.Kind.IO, "cannot stat " + path + ": " + e, e);
    }
  }

  /** Whether {@code path} names this file now. */
  boolean isNamedBy(Path path) {
    return equals(of(path));
  }
}
