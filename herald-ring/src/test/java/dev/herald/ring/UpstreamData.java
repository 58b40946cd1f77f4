package dev.herald.ring;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the upstream Monad test data in {@code shared/data/monad}, next to the repository. */
final class UpstreamData {
  private UpstreamData() {}

  /** The data folder, or a JUnit assumption failure (test skipped) if it is absent. */
  static Path monad() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/data/monad");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    assumeTrue(false, "shared/data/monad not found above " + Path.of("").toAbsolutePath());
    throw new AssertionError("unreachable");
  }

  static Path emn1b() {
    Path p = monad().resolve("emn-1b-15m.snapshot");
    assumeTrue(Files.isRegularFile(p), p + " is absent");
    return p;
  }

  static Path emn30bDir() {
    Path p = monad().resolve("exec-events-emn-30b-15m");
    assumeTrue(Files.isRegularFile(p.resolve("snapshot.zst")), p + " is absent");
    return p;
  }
}
