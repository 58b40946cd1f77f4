package dev.herald.communicator;

import dev.herald.os.Inotify;
import java.nio.file.Path;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * One change reported by a {@link FileChangeConnection} (upstream's {@code file_event}): the watch
 * it belongs to, what happened, and to which file.
 *
 * <p>The event masks are upstream's values. Events ({@link #ATTRIBUTES} to {@link #UPDATED}) are
 * asked for in a watch's mask and reported when they happen; {@link #EXISTS} and {@link #RECURSIVE}
 * are asked for only; {@link #LOST_SYNC}, {@link #ERROR} and the flags {@link #DIRECTORY}, {@link
 * #GONE} and {@link #UNMOUNTED} are reported without being asked for.
 *
 * <pre>{@code
 * void changed(FileEvent e) {
 *   if (e.has(FileEvent.CREATED) && !e.has(FileEvent.DIRECTORY)) {
 *     load(e.path());                      // watchedPath().resolve(name())
 *   }
 * }
 * }</pre>
 *
 * @param watchedPath the path of the watch, as given to {@code watch*} without its pattern; {@code
 *     /} for {@link #LOST_SYNC} and {@link #ERROR}, which belong to no watch
 * @param events what happened: event and flag bits of this class
 * @param name the changed file relative to {@code watchedPath} ({@code sub/file.txt} under {@link
 *     #RECURSIVE}), or "" when the watched path itself changed
 */
public record FileEvent(Path watchedPath, int events, String name) {
  /** Metadata changed: permissions, owner, times, links ({@code IN_ATTRIB}). */
  public static final int ATTRIBUTES = 0x1;

  /** The file was read ({@code IN_ACCESS}). */
  public static final int READ = 0x2;

  /** The file was written or truncated ({@code IN_MODIFY}). */
  public static final int WRITE = 0x4;

  /**
   * A file appeared: created, or renamed into the directory ({@code IN_CREATE}, {@code MOVED_TO}).
   */
  public static final int CREATED = 0x8;

  /**
   * A file went away: deleted, or renamed out of the directory; the watched path itself deleted or
   * renamed ({@code IN_DELETE}, {@code MOVED_FROM}, {@code DELETE_SELF}, {@code MOVE_SELF}).
   */
  public static final int DELETED = 0x10;

  /** The file was opened or closed ({@code IN_OPEN}, {@code IN_CLOSE_*}). */
  public static final int ACCESS = 0x20;

  /** A file opened for writing was closed ({@code IN_CLOSE_WRITE}). */
  public static final int UPDATED = 0x40;

  /** Asked for only: report each file that already exists when the watch is added. */
  public static final int EXISTS = 0x80;

  /** Asked for only: watch the subdirectories of a watched directory too, as they come and go. */
  public static final int RECURSIVE = 0x100;

  /** Events were lost (the kernel's queue overflowed): look at the files again. */
  public static final int LOST_SYNC = 0x400;

  /** An error the kernel reported, or a subdirectory that could not be watched. */
  public static final int ERROR = 0x800;

  /** Flag: the file is a directory. */
  public static final int DIRECTORY = 0x1000;

  /** Flag: the watch ended because its path is gone (deleted, or removed by the kernel). */
  public static final int GONE = 0x2000;

  /** Flag: the file system holding the watched path was unmounted. */
  public static final int UNMOUNTED = 0x4000;

  /** The events a watch can ask for and get. */
  static final int CHANGES = ATTRIBUTES | READ | WRITE | CREATED | DELETED | ACCESS | UPDATED;

  /** What a watch is told whether it asked or not. */
  static final int ALWAYS = LOST_SYNC | ERROR | DIRECTORY | GONE | UNMOUNTED;

  /** Everything a mask given to {@code watch*} may hold. */
  static final int REQUESTABLE = CHANGES | EXISTS | RECURSIVE;

  /** What the kernel must report for {@link #RECURSIVE} to follow subdirectories. */
  static final int SUBDIRECTORY_CHANGES =
      Inotify.CREATE | Inotify.MOVED_TO | Inotify.DELETE | Inotify.MOVED_FROM;

  private static final String[] NAMES = {
    "ATTRIBUTES",
    "READ",
    "WRITE",
    "CREATED",
    "DELETED",
    "ACCESS",
    "UPDATED",
    "EXISTS",
    "RECURSIVE",
    "0x200",
    "LOST_SYNC",
    "ERROR",
    "DIRECTORY",
    "GONE",
    "UNMOUNTED"
  };

  /**
   * Checks the fields.
   *
   * @param watchedPath the watch's path
   * @param events the event and flag bits
   * @param name the file relative to the watched path, or ""
   */
  public FileEvent {
    Objects.requireNonNull(watchedPath, "watchedPath");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Whether all the given bits are set.
   *
   * @param mask event or flag bits of this class
   * @return true if every bit of {@code mask} is in {@link #events()}
   */
  public boolean has(int mask) {
    return (events & mask) == mask;
  }

  /**
   * The changed file.
   *
   * @return {@code watchedPath().resolve(name())}: the watched path itself when the name is empty
   */
  public Path path() {
    return name.isEmpty() ? watchedPath : watchedPath.resolve(name);
  }

  /**
   * The inotify mask that reports the given events (upstream's {@code events_to_mask}, with renames
   * the right way round: moved in is a creation, moved out a deletion).
   */
  static int toKernel(int events) {
    int mask = 0;
    if ((events & ATTRIBUTES) != 0) {
      mask |= Inotify.ATTRIB;
    }
    if ((events & READ) != 0) {
      mask |= Inotify.ACCESS;
    }
    if ((events & WRITE) != 0) {
      mask |= Inotify.MODIFY;
    }
    if ((events & CREATED) != 0) {
      mask |= Inotify.CREATE | Inotify.MOVED_TO;
    }
    if ((events & DELETED) != 0) {
      mask |= Inotify.DELETE | Inotify.MOVED_FROM | Inotify.DELETE_SELF | Inotify.MOVE_SELF;
    }
    if ((events & ACCESS) != 0) {
      mask |= Inotify.OPEN | Inotify.CLOSE_WRITE | Inotify.CLOSE_NOWRITE;
    }
    if ((events & UPDATED) != 0) {
      mask |= Inotify.CLOSE_WRITE;
    }
    if ((events & RECURSIVE) != 0) {
      mask |= SUBDIRECTORY_CHANGES;
    }
    return mask;
  }

  /** The events an inotify mask stands for (upstream's {@code mask_to_events}). */
  static int fromKernel(int mask) {
    int events = 0;
    if ((mask & Inotify.ATTRIB) != 0) {
      events |= ATTRIBUTES;
    }
    if ((mask & Inotify.ACCESS) != 0) {
      events |= READ;
    }
    if ((mask & Inotify.MODIFY) != 0) {
      events |= WRITE;
    }
    if ((mask & (Inotify.CREATE | Inotify.MOVED_TO)) != 0) {
      events |= CREATED;
    }
    if ((mask & (Inotify.DELETE | Inotify.MOVED_FROM | Inotify.DELETE_SELF | Inotify.MOVE_SELF))
        != 0) {
      events |= DELETED;
    }
    if ((mask & (Inotify.OPEN | Inotify.CLOSE_WRITE | Inotify.CLOSE_NOWRITE)) != 0) {
      events |= ACCESS;
    }
    if ((mask & Inotify.CLOSE_WRITE) != 0) {
      events |= UPDATED;
    }
    if ((mask & Inotify.ISDIR) != 0) {
      events |= DIRECTORY;
    }
    if ((mask & (Inotify.IGNORED | Inotify.DELETE_SELF)) != 0) {
      events |= GONE;
    }
    if ((mask & Inotify.UNMOUNT) != 0) {
      events |= UNMOUNTED;
    }
    return events;
  }

  @Override
  public String toString() {
    StringJoiner bits = new StringJoiner("|");
    for (int bit = 0; bit < NAMES.length; bit++) {
      if ((events & (1 << bit)) != 0) {
        bits.add(NAMES[bit]);
      }
    }
    return "FileEvent(" + path() + " " + bits + ")";
  }
}
