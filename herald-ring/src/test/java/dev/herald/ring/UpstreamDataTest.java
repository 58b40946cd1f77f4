package dev.herald.ring;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Missing upstream data skips a test on a developer's clone but fails it in CI. */
class UpstreamDataTest {
  @TempDir Path dir;

  @Test
  void missingDataFailsWhenCiIsTrue() {
    assertThrows(AssertionFailedError.class, () -> UpstreamData.monad(dir, Map.of("CI", "true")));
  }

  @Test
  void missingDataSkipsOutsideCi() {
    assertThrows(TestAbortedException.class, () -> UpstreamData.monad(dir, Map.of()));
    assertThrows(TestAbortedException.class, () -> UpstreamData.monad(dir, Map.of("CI", "false")));
  }
}
