package dev.herald.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The variables of an INI-style settings file, as {@code signal --host FILE@VARIABLE} reads them:
 * {@code name=value} lines; blank lines, {@code #} and {@code ;} comments and {@code [section]}
 * headers are skipped; quotes around a value are removed; a later line wins.
 */
final class IniFile {
  private IniFile() {}

  static Map<String, String> read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("settings file \"" + file + "\" does not exist", e);
    }
    Map<String, String> variables = new HashMap<>();
    for (String raw : text.lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
        continue;
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      String value = line.substring(equals + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      variables.put(line.substring(0, equals).strip(), value);
    }
    return variables;
  }
}
