package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failures of {@code execve} (a success replaces the test's JVM: {@code herald service}'s tests
 * run one in a child JVM, which re-executes itself).
 */
class ProcessImageTest {
  @Test
  void aMissingProgramIsATypedErrorAndThisProgramGoesOn() {
    OsException missing =
        assertThrows(
            OsException.class,
            () ->
                ProcessImage.exec(
                    "/no/such/program-herald",
                    List.of("program-herald"),
                    ProcessImage.currentEnvironment()));
    assertEquals(Errno.ENOENT, missing.errno());
    assertTrue(missing.getMessage().contains("/no/such/program-herald"), missing.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ProcessImage.exec("/bin/true", List.of(), List.of()));
  }

  @Test
  void theEnvironmentIsThisJvmsOwn() {
    String path = System.getenv("PATH");
    assertTrue(ProcessImage.currentEnvironment().contains("PATH=" + path));
  }
}
