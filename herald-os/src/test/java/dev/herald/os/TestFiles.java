package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/** Opens plain files for tests that need a non-pollable fd. */
final class TestFiles {
  private static final int O_RDONLY = 0;
  private static final int O_RDWR = 2;

  private TestFiles() {}

  static OwnedFd openReadOnly(Path file) {
    return open(file, O_RDONLY);
  }

  static OwnedFd openReadWrite(Path file) {
    return open(file, O_RDWR);
  }

  private static OwnedFd open(Path file, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      return OwnedFd.adopt(
          OsException.check(
              Libc.OPEN.call(arena.allocateFrom(file.toString()), flags | Fd.O_CLOEXEC, 0),
              "open",
              file.toString()));
    }
  }
}
