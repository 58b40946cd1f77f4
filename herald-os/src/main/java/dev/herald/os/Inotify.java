package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File-system change notifications through a file descriptor ({@code inotify(7)}).
 *
 * <pre>{@code
 * try (Inotify inotify = Inotify.create()) {
 *   int wd = inotify.addWatch(dir, Inotify.CREATE | Inotify.DELETE);
 *   // ... when the fd is readable:
 *   for (Inotify.Event e : inotify.take()) {
 *     System.out.println(e.name() + " " + e.mask());
 *   }
 * }
 * }</pre>
 */
public final class Inotify extends FdOwner {
  /** File was accessed. */
  public static final int ACCESS = 0x1;

  /** File was modified. */
  public static final int MODIFY = 0x2;

  /** Metadata changed. */
  public static final int ATTRIB = 0x4;

  /** Writable file was closed. */
  public static final int CLOSE_WRITE = 0x8;

  /** Unwritable file closed. */
  public static final int CLOSE_NOWRITE = 0x10;

  /** File was opened. */
  public static final int OPEN = 0x20;

  /** File was moved out of the watched directory. */
  public static final int MOVED_FROM = 0x40;

  /** File was moved into the watched directory. */
  public static final int MOVED_TO = 0x80;

  /** File was created in the watched directory. */
  public static final int CREATE = 0x100;

  /** File was deleted from the watched directory. */
  public static final int DELETE = 0x200;

  /** The watched file itself was deleted. */
  public static final int DELETE_SELF = 0x400;

  /** The watched file itself was moved. */
  public static final int MOVE_SELF = 0x800;

  /** The file system holding the watched path was unmounted. */
  public static final int UNMOUNT = 0x2000;

  /** The event queue overflowed: events were lost. */
  public static final int Q_OVERFLOW = 0x4000;

  /** The watch was removed (explicitly or because the file is gone). */
  public static final int IGNORED = 0x8000;

  /** The subject of the event is a directory. */
  public static final int ISDIR = 0x40000000;

  /** {@link #addWatch} flag: fail with ENOTDIR unless the path is a directory. */
  public static final int ONLYDIR = 0x01000000;

  /** {@link #addWatch} flag: watch a symbolic link itself, not what it points to. */
  public static final int DONT_FOLLOW = 0x02000000;

  /** {@link #addWatch} flag: no events for children of a directory once they are unlinked. */
  public static final int EXCL_UNLINK = 0x04000000;

  /** {@link #addWatch} flag: add to the mask of a path already watched instead of replacing it. */
  public static final int MASK_ADD = 0x20000000;

  /** Room for many events; one event needs at most 16 bytes plus NAME_MAX + 1. */
  private static final int BUFFER_SIZE = 64 * 1024;

  /**
   * One change.
   *
   * @param watch the watch descriptor from {@link #addWatch}
   * @param mask what happened (the constants of {@link Inotify})
   * @param cookie links the MOVED_FROM and MOVED_TO halves of a rename
   * @param name the file's name inside a watched directory, or "" for the watched path itself
   */
  public record Event(int watch, int mask, int cookie, String name) {}

  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);

  private Inotify(OwnedFd fd) {
    super(fd);
  }

  /**
   * Creates a non-blocking, close-on-exec inotify instance.
   *
   * @return the instance
   */
  public static Inotify create() {
    return new Inotify(
        OwnedFd.adopt(
            OsException.check(
                Libc.INOTIFY_INIT1.call(O_NONBLOCK | O_CLOEXEC), "inotify_init1", "")));
  }

  /**
   * Watches a file or directory.
   *
   * @param path what to watch
   * @param mask the events wanted
   * @return the watch descriptor (the same one again for a path already watched)
   * @throws OsException ENOENT if the path does not exist
   */
  public int addWatch(Path path, int mask) {
    int n = acquire();
    try (Arena call = Arena.ofConfined()) {
      return OsException.check(
          Libc.INOTIFY_ADD_WATCH.call(n, call.allocateFrom(path.toString()), mask),
          "inotify_add_watch",
          path.toString());
    } finally {
      release();
    }
  }

  /**
   * Stops a watch; an {@link #IGNORED} event follows.
   *
   * @param watch the watch descriptor
   * @throws OsException EINVAL if it is not a watch of this instance
   */
  public void removeWatch(int watch) {
    int n = acquire();
    try {
      OsException.check(Libc.INOTIFY_RM_WATCH.call(n, watch), "inotify_rm_watch", "watch " + watch);
    } finally {
      release();
    }
  }

  /**
   * Reads the pending events.
   *
   * @return the events, empty if none is pending
   */
  public List<Event> take() {
    long got = read(buffer); // whole events only; WOULD_BLOCK (-1) when none is pending
    List<Event> events = new ArrayList<>();
    long at = 0;
    while (got > 0 && at + 16 <= got) {
      int wd = buffer.get(ValueLayout.JAVA_INT, at);
      int mask = buffer.get(ValueLayout.JAVA_INT, at + 4);
      int cookie = buffer.get(ValueLayout.JAVA_INT, at + 8);
      int len = buffer.get(ValueLayout.JAVA_INT, at + 12);
      String name = "";
      if (len > 0) {
        byte[] raw = buffer.asSlice(at + 16, len).toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
          end++;
        }
        name = new String(raw, 0, end, StandardCharsets.UTF_8);
      }
      events.add(new Event(wd, mask, cookie, name));
      at += 16 + len;
    }
    return events;
  }

  @Override
  public void close() {
    fd.close();
    arena.close();
  }
}
