package dev.herald.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code herald} command line in a child JVM, as a user starts it: the same JDK, this
 * test's class path, native access granted, and the JVM options a test adds.
 */
final class HeraldJvm {
  private HeraldJvm() {}

  /** {@code herald ARGS} in a child JVM. */
  static ProcessBuilder command(String... args) {
    return command(List.of(), args);
  }

  /** {@code java JVM-OPTIONS ... herald ARGS}. */
  static ProcessBuilder command(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("--sun-misc-unsafe-memory-access=allow"); // the zstd library's, in ring commands
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Herald.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
