package dev.herald.os;

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
public final class Inotify implements Fd, AutoCloseable {
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

  /** The event queue overflowed: events were lost. */
  public static final int Q_OVERFLOW = 0x4000;

  /** The watch was removed (explicitly or because the file is gone). */
  public static final int IGNORED = 0x8000;

  /** The subject of the event is a directory. */
  public static final int ISDIR = 0x40000000;

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

  private final OwnedFd fd;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);

  private Inotify(OwnedFd fd) {
    this.fd = fd;
  }

  /**
   * Creates a non-blocking, close-on-exec inotify instance.
   *
   * @return the instance
   */
  public static Inotify create() {
    return new Inotify(
        OwnedFd.adopt(
            OsException.check(Libc.inotifyInit1(O_NONBLOCK | O_CLOEXEC), "inotify_init1", "")));
  }

  @Override
  public int fd() {
    return fd.fd();
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
    try (Arena call = Arena.ofConfined()) {
      return OsException.check(
          Libc.inotifyAddWatch(fd.fd(), call.allocateFrom(path.toString()), mask),
          "inotify_add_watch",
          path.toString());
    }
  }

  /**
   * Stops a watch; an {@link #IGNORED} event follows.
   *
   * @param watch the watch descriptor
   * @throws OsException EINVAL if it is not a watch of this instance
   */
  public void removeWatch(int watch) {
    OsException.check(Libc.inotifyRmWatch(fd.fd(), watch), "inotify_rm_watch", "watch " + watch);
  }

  /**
   * Reads the pending events.
   *
   * @return the events, empty if none is pending
   */
  public List<Event> take() {
    int n = fd.fd();
    long got;
    while (true) {
      got = Libc.read(n, buffer, BUFFER_SIZE);
      if (got >= 0 || got == -Errno.EAGAIN) {
        break;
      }
      if (got != -Errno.EINTR) {
        OsException.check(got, "read(inotify)", n);
      }
    }
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
