package dev.herald.communicator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One {@code -----BEGIN LABEL----- ... -----END LABEL-----} block of a PEM file: its label and its
 * decoded DER bytes. Text outside the blocks (comments, {@code openssl x509 -text} output) is
 * ignored, as OpenSSL ignores it.
 */
record PemBlock(String label, byte[] der) {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  /**
   * Reads every block of {@code file}.
   *
   * @throws CommunicatorException {@code INVALID_PARAMETER} when the file cannot be read, or a
   *     block is unfinished, encrypted or not Base64
   */
  static List<PemBlock> readAll(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw invalid(file, "cannot be read: " + e);
    }
    List<PemBlock> blocks = new ArrayList<>();
    String label = null;
    StringBuilder body = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (label == null) {
        if (line.startsWith(BEGIN) && line.endsWith(DASHES)) {
          label = line.substring(BEGIN.length(), line.length() - DASHES.length());
          body.setLength(0);
        }
      } else if (line.equals(END + label + DASHES)) {
        blocks.add(new PemBlock(label, decode(file, label, body)));
        label = null;
      } else if (line.contains(":")) {
        throw invalid(
            file,
            "holds an encrypted \""
                + label
                + "\" block (header \""
                + line
                + "\"); decrypt it first, e.g. openssl pkcs8 -topk8 -nocrypt -in "
                + file
                + " -out key.pem");
      } else {
        body.append(line);
      }
    }
    if (label != null) {
      throw invalid(
          file, "ends inside a \"" + label + "\" block (no \"" + END + label + "-----\")");
    }
    return blocks;
  }

  private static byte[] decode(Path file, String label, CharSequence body) {
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw invalid(
          file, "has a \"" + label + "\" block that is not valid Base64: " + e.getMessage());
    }
  }

  static CommunicatorException invalid(Path file, String what) {
    return new CommunicatorException(
        CommunicatorException.Kind.INVALID_PARAMETER, "the PEM file " + file + " " + what + ".");
  }
}
