package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the upstream Monad test data in {@code shared/data/monad}, searching upward from the
 * working directory. Where it is missing, a test using it is skipped on a developer's clone, but
 * fails when the environment variable {@code CI} is {@code true}: CI always has the data, so a
 * missing folder there is a broken setup, not a reason to pass.
 */
public final class UpstreamData {
  private UpstreamData() {}

  /**
   * The data folder.
   *
   * @return the folder
   */
  public static Path monad() {
    return monad(Path.of("").toAbsolutePath(), System.getenv());
  }

  /** The data folder above {@code start}; {@code env} decides between skipping and failing. */
  static Path monad(Path start, Map<String, String> env) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/monad");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw missing("shared/data/monad not found above " + start, env);
  }

  /**
   * The upstream {@code emn-1b-15m.snapshot}.
   *
   * @return the file
   */
  public static Path emn1b() {
    Path p = monad().resolve("emn-1b-15m.snapshot");
    if (!Files.isRegularFile(p)) {
      throw missing(p + " is absent", System.getenv());
    }
    return p;
  }

  /**
   * The upstream {@code exec-events-emn-30b-15m} folder (snapshot and expected decoding).
   *
   * @return the folder
   */
  public static Path emn30bDir() {
    Path p = monad().resolve("exec-events-emn-30b-15m");
    if (!Files.isRegularFile(p.resolve("snapshot.zst"))) {
      throw missing(p + " is absent", System.getenv());
    }
    return p;
  }

  /** Fails the test in CI, skips it elsewhere; returns nothing, it always throws. */
  private static AssertionError missing(String what, Map<String, String> env) {
    if ("true".equals(env.get("CI"))) {
      fail(what + ": the upstream test data must be present when CI=true");
    }
    assumeTrue(false, what + " (skipped: upstream test data not present)");
    return new AssertionError("unreachable");
  }
}
