package dev.herald.nats;

import dev.herald.ring.EventRing;
import dev.herald.ring.RingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Which ring an exported event came from: the same for every run of an exporter over the same ring
 * file, different for another ring (a writer that restarted creates a new file). It prefixes each
 * event's {@code Nats-Msg-Id}, so JetStream drops an event published twice, and it tells a
 * restarted exporter whether the stream's last event is from its ring.
 *
 * <p>A live ring is named by the host, the file's device and inode, and its birth time (a new file
 * that gets the inode of a removed one still has another birth time); a snapshot by a SHA-256 of
 * its compressed bytes, so the same snapshot gets the same identity wherever it is exported from.
 * The identity is the first 128 bits of a SHA-256 over these, in hex.
 *
 * <pre>{@code
 * RingIdentity id = RingIdentity.of(ring);
 * System.out.println(id.id() + " " + id.source()); // 32 hex digits, host:path
 * }</pre>
 *
 * @param id 32 lower-case hex digits
 * @param source where the ring was read, {@code host:path}, for people
 */
public record RingIdentity(String id, String source) {
  /**
   * The identity of an open ring.
   *
   * @param ring a live ring or a snapshot
   * @return its identity
   * @throws RingException of kind {@link RingException.Kind#IO} if the file cannot be read, or if
   *     its name was given to another ring since it was opened
   */
  public static RingIdentity of(EventRing ring) {
    String host = hostName();
    Path path = ring.path();
    String basis;
    try {
      if (ring.isSnapshot()) {
        basis = "snapshot|" + sha256Hex(path);
      } else {
        Map<String, Object> unix = Files.readAttributes(path, "unix:dev,ino");
        long device = ((Number) unix.get("dev")).longValue();
        long inode = ((Number) unix.get("ino")).longValue();
        if (device != ring.fileStatus().device() || inode != ring.fileStatus().inode()) {
          throw new RingException(
              RingException.Kind.IO,
              path + " names another ring than the one opened (its writer restarted); start again");
        }
        BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class);
        basis =
            "live|" + host + "|" + device + "|" + inode + "|" + basic.creationTime().toInstant();
      }
    } catch (IOException e) {
      throw new RingException(
          RingException.Kind.IO, "cannot read " + path + " to identify the ring: " + e, e);
    }
    String digest = HexFormat.of().formatHex(sha256(basis.getBytes(StandardCharsets.UTF_8)));
    return new RingIdentity(digest.substring(0, 32), host + ":" + path.toAbsolutePath());
  }

  private static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String sha256Hex(Path file) throws IOException {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static byte[] sha256(byte[] bytes) {
    return digest().digest(bytes);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
