package dev.herald.ring;

import dev.herald.os.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Who writes a ring, found the way upstream tools find it: nothing in the ring says "alive", but a
 * writer holds an exclusive {@code flock} on the file for its whole life, and {@code /proc/locks}
 * lists every lock with its holder's pid and the file's device and inode.
 *
 * <pre>{@code
 * OptionalLong pid = RingLiveness.exclusiveWriterPid(ring.fileStatus());
 * WriterState state = RingLiveness.state(ring); // ALIVE, GONE or REPLACED
 * }</pre>
 */
public final class RingLiveness {
  private static final Path PROC_LOCKS = Path.of("/proc/locks");

  private RingLiveness() {}

  /**
   * One {@code FLOCK} lock from {@code /proc/locks}.
   *
   * @param pid the process that took it
   * @param exclusive true for {@code LOCK_EX} ({@code WRITE}), false for {@code LOCK_SH}
   */
  public record FlockHolder(long pid, boolean exclusive) {}

  /**
   * The {@code flock} locks held on a file ({@code monad_event_ring_query_flocks}).
   *
   * @param file the file's device and inode
   * @return the holders; waiters ({@code ->} lines) are not included
   */
  public static List<FlockHolder> flockHolders(FileStatus file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(PROC_LOCKS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROC_LOCKS, e);
    }
    return flockHolders(lines, file);
  }

  /** Parses lines like {@code 1: FLOCK ADVISORY WRITE 17090 00:1b:4 0 EOF}. */
  static List<FlockHolder> flockHolders(List<String> procLocks, FileStatus file) {
    List<FlockHolder> holders = new ArrayList<>();
    for (String line : procLocks) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6 || !f[1].equals("FLOCK")) {
        continue; // POSIX/OFDLCK locks, and "->" lines of blocked waiters
      }
      String[] id = f[5].split(":");
      if (id.length != 3) {
        continue;
      }
      try {
        long major = Long.parseLong(id[0], 16);
        long minor = Long.parseLong(id[1], 16);
        long inode = Long.parseLong(id[2]);
        if (inode == file.inode() && major == file.deviceMajor() && minor == file.deviceMinor()) {
          holders.add(new FlockHolder(Long.parseLong(f[4]), f[3].equals("WRITE")));
        }
      } catch (NumberFormatException e) {
        // A line in a format we do not know describes no ring writer.
      }
    }
    return holders;
  }

  /**
   * The pid of the ring's exclusive writer ({@code monad_event_ring_query_excl_writer_pid}).
   *
   * @param file the ring file's device and inode
   * @return the pid if exactly one lock is held on the file and it is exclusive; else empty
   *     (upstream's EOWNERDEAD "no exclusive writer process found")
   */
  public static OptionalLong exclusiveWriterPid(FileStatus file) {
    List<FlockHolder> holders = flockHolders(file);
    if (holders.size() == 1 && holders.getFirst().exclusive()) {
      return OptionalLong.of(holders.getFirst().pid());
    }
    return OptionalLong.empty();
  }

  /**
   * Whether the process that wrote a ring is still writing it.
   *
   * @param ring an open live ring
   * @return {@link WriterState#REPLACED} if the path now names another file (a restarted writer,
   *     whose ring starts again at sequence number 1), {@link WriterState#ALIVE} if a live process
   *     holds the exclusive lock, else {@link WriterState#GONE}
   */
  public static WriterState state(EventRing ring) {
    if (ring.isSnapshot()) {
      return WriterState.GONE;
    }
    Object inode;
    try {
      inode = Files.getAttribute(ring.path(), "unix:ino");
    } catch (NoSuchFileException e) {
      inode = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + ring.path(), e);
    }
    if (inode != null && ((Number) inode).longValue() != ring.fileStatus().inode()) {
      return WriterState.REPLACED;
    }
    OptionalLong pid = exclusiveWriterPid(ring.fileStatus());
    if (pid.isPresent()
        && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
      return WriterState.ALIVE;
    }
    return WriterState.GONE;
  }
}
