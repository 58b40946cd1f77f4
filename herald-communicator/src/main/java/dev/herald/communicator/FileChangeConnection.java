package dev.herald.communicator;

import dev.herald.os.Errno;
import dev.herald.os.Inotify;
import dev.herald.os.OsException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File changes in a communicator (upstream's {@code file_changed}): one {@code inotify} fd per
 * connection, watches on files, symbolic links and directories with upstream's event masks ({@link
 * FileEvent}), glob patterns for the names in a watched directory, and {@link FileEvent#RECURSIVE},
 * which upstream declares but never implemented.
 *
 * <p>A watched path may end with a glob pattern ({@code /var/log/*.log}): the pattern is the last
 * segment when it holds a glob character ({@code *}, {@code ?}, {@code [} or an opening brace),
 * with {@link java.nio.file.PathMatcher}'s glob rules, and is matched against the last segment of
 * each changed name; the watched path's own events are always reported. Watching a path again
 * merges: the events are added, and so is the pattern ({@code *} anywhere means every name). A path
 * that does not exist fails with {@code WATCH_FAILED} and ENOENT, as upstream fails: watch its
 * directory with a pattern to wait for it.
 *
 * <p>Under {@link FileEvent#RECURSIVE}, each subdirectory of a watched directory is watched too:
 * the ones there when the watch is added, and the new ones as they are created or renamed in. A new
 * subdirectory is watched first and read afterwards, so that a file created in it before its watch
 * was in place is still reported, as {@link FileEvent#CREATED} (a file created just then may be
 * reported twice, never not at all). A subdirectory deleted or renamed out is dropped. Names are
 * relative to the watched path ({@code sub/file.txt}).
 *
 * <p>{@link FileEvent#EXISTS}, as upstream declares it ("file exists, when adding a watch"): each
 * file that already exists when the watch is added is reported once, with EXISTS (and DIRECTORY for
 * a directory): the watched path itself when it is a file, else each matching name in the watched
 * directory (and its subdirectories under RECURSIVE). Those events are delivered on the loop, in
 * the round after the watch is added, before any change read from the kernel.
 *
 * <p>When the kernel's queue overflowed, the handler gets {@link FileEvent#LOST_SYNC} once, with
 * the watched path {@code /}. A watched path deleted reports {@code DELETED|GONE} and the watch
 * ends; one removed by the kernel for another reason reports {@code GONE}, after {@code UNMOUNTED}
 * when its file system was unmounted.
 *
 * <p>The connection's timeout is its own (it delivers the EXISTS events); its priority and enabled
 * flag are the caller's. While disabled, the kernel keeps queueing (up to {@code
 * /proc/sys/fs/inotify/max_queued_events}, then LOST_SYNC). All methods are for the loop thread (or
 * any one thread before the loop runs).
 *
 * <pre>{@code
 * FileChangeConnection files = FileChangeConnection.open(communicator, "config",
 *     (c, e) -> {
 *       if (e.has(FileEvent.UPDATED)) {
 *         reload(e.path());
 *       }
 *     });
 * files.watchFiles(Path.of("/etc/my_service/*.conf"), FileEvent.UPDATED | FileEvent.EXISTS);
 * files.watchFiles(Path.of("/srv/spool"), FileEvent.CREATED | FileEvent.RECURSIVE);
 * }</pre>
 */
public final class FileChangeConnection {
  private static final Logger LOG = LoggerFactory.getLogger(FileChangeConnection.class);

  /** The watched path of the events that belong to no watch (upstream's {@code g_no_path}). */
  private static final Path NO_PATH = Path.of("/");

  private static final Path HERE = Path.of("");

  /** Reads of up to 64 KiB per round, so that a flood of changes cannot hold the loop. */
  private static final int READS_PER_ROUND = 16;

  /** What a file-change connection does with each change. */
  @FunctionalInterface
  public interface Handler {
    /**
     * A change happened (upstream's {@code process_event}). Runs on the loop thread; it may add and
     * stop watches, and close the connection.
     *
     * @param connection the connection
     * @param event what happened
     */
    void changed(FileChangeConnection connection, FileEvent event);
  }

  /** One kernel watch (a wd): the directory or file it is on, and the user's watches using it. */
  private static final class KernelWatch {
    final Path path;
    final List<Placement> placements = new ArrayList<>(1);

    KernelWatch(Path path) {
      this.path = path;
    }
  }

  /** A user's watch at one place: its path ({@code relative} empty) or a subdirectory. */
  private record Placement(FileWatch watch, Path relative) {
    boolean isRoot() {
      return relative.equals(HERE);
    }
  }

  private record Pending(FileWatch watch, FileEvent event) {}

  private final Inotify inotify;
  private final Handler handler;
  private final Connection connection;
  private final Map<Path, FileWatch> watches = new HashMap<>();
  private final Map<Integer, KernelWatch> kernelWatches = new HashMap<>();

  /** EXISTS events waiting for the loop. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  private boolean closed;

  private FileChangeConnection(String name, Inotify inotify, Handler handler) {
    this.inotify = inotify;
    this.handler = handler;
    this.connection = Connection.of(name, inotify, new Events());
  }

  /**
   * Creates the connection's inotify fd and adds the connection to {@code communicator}; it watches
   * nothing yet.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param handler what to do with each change
   * @return the connection
   * @throws CommunicatorException {@code WATCH_FAILED} with the errno when the kernel refuses an
   *     inotify instance (EMFILE: {@code /proc/sys/fs/inotify/max_user_instances})
   */
  public static FileChangeConnection open(Communicator communicator, String name, Handler handler) {
    Objects.requireNonNull(communicator, "communicator");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    Inotify inotify;
    try {
      inotify = Inotify.create();
    } catch (OsException e) {
      throw new CommunicatorException(
          CommunicatorException.Kind.WATCH_FAILED,
          e.errno(),
          "file-change connection \""
              + name
              + "\" cannot create its inotify instance: "
              + e.getMessage()
              + " (see /proc/sys/fs/inotify/max_user_instances).",
          e);
    }
    FileChangeConnection files = new FileChangeConnection(name, inotify, handler);
    try {
      communicator.add(files.connection);
    } catch (RuntimeException e) {
      inotify.close();
      throw e;
    }
    return files;
  }

  /**
   * Watches a file, or the files in a directory (upstream's {@code watch_files}); symbolic links
   * are followed.
   *
   * @param path the file or directory, optionally followed by a glob pattern for names in it
   * @param events what to report: {@link FileEvent#ATTRIBUTES} to {@link FileEvent#UPDATED}, plus
   *     {@link FileEvent#EXISTS} and {@link FileEvent#RECURSIVE}
   * @throws CommunicatorException {@code PARAMETER_ERROR} for a mask without any event or with
   *     unknown bits, a pattern before the last segment or an invalid pattern; {@code WATCH_FAILED}
   *     with the errno when the kernel refuses the watch (ENOENT: no such path; ENOSPC: {@code
   *     /proc/sys/fs/inotify/max_user_watches} reached)
   */
  public void watchFiles(Path path, int events) {
    watch(path, events, 0);
  }

  /**
   * Watches symbolic links themselves, not what they point to (upstream's {@code watch_symlinks});
   * otherwise as {@link #watchFiles}.
   *
   * @param path the link, or a directory, optionally followed by a glob pattern
   * @param events what to report, as for {@link #watchFiles}
   * @throws CommunicatorException as {@link #watchFiles}
   */
  public void watchSymlinks(Path path, int events) {
    watch(path, events, Inotify.DONT_FOLLOW);
  }

  /**
   * Watches a path that must be a directory (upstream's {@code watch_directories}); otherwise as
   * {@link #watchFiles}.
   *
   * @param path the directory, optionally followed by a glob pattern
   * @param events what to report, as for {@link #watchFiles}
   * @throws CommunicatorException as {@link #watchFiles}; ENOTDIR when the path is not a directory
   */
  public void watchDirectories(Path path, int events) {
    watch(path, events, Inotify.ONLYDIR);
  }

  /**
   * Stops a watch (upstream's {@code stop_watch}); its changes still queued are not reported.
   *
   * @param path the watched path (a pattern at its end is ignored)
   * @return true if it was watched
   */
  public boolean stopWatch(Path path) {
    connection.communicator().ifPresent(Communicator::checkThread);
    Path key =
        (FileWatch.patternOf(path).equals("*") ? path : parentOf(path))
            .toAbsolutePath()
            .normalize();
    FileWatch watch = watches.get(key);
    if (watch == null) {
      return false;
    }
    drop(watch);
    return true;
  }

  /**
   * The connection in the loop: its name, priority and enabled flag.
   *
   * @return the connection
   */
  public Connection connection() {
    return connection;
  }

  /**
   * Whether the connection is open.
   *
   * @return true until closed
   */
  public boolean isOpen() {
    return !closed;
  }

  /**
   * Stops every watch, leaves the communicator and closes the inotify fd. Closing again does
   * nothing.
   */
  public void close() {
    connection.communicator().ifPresent(Communicator::checkThread);
    if (!connection.remove()) {
      closeInotify();
    }
  }

  /** The directories and files watched in the kernel, for tests. */
  Set<Path> kernelWatchedPaths() {
    Set<Path> paths = new TreeSet<>();
    kernelWatches.values().forEach(k -> paths.add(k.path));
    return paths;
  }

  private void watch(Path pathAndPattern, int events, int kindFlags) {
    Objects.requireNonNull(pathAndPattern, "path");
    connection.communicator().ifPresent(Communicator::checkThread);
    if (closed) {
      throw new CommunicatorException(
          CommunicatorException.Kind.CLOSED,
          "file-change connection \"" + connection.name() + "\" is closed: open a new one.");
    }
    if ((events & ~FileEvent.REQUESTABLE) != 0 || (events & FileEvent.CHANGES) == 0) {
      throw new CommunicatorException(
          CommunicatorException.Kind.PARAMETER_ERROR,
          "file-change connection \""
              + connection.name()
              + "\": the events 0x"
              + Integer.toHexString(events)
              + " for "
              + pathAndPattern
              + " must hold at least one of ATTRIBUTES, READ, WRITE, CREATED, DELETED, ACCESS,"
              + " UPDATED and nothing but those, EXISTS and RECURSIVE.");
    }
    FileWatch asked = FileWatch.of(connection.name(), pathAndPattern, events, kindFlags);
    FileWatch watch = watches.get(asked.key);
    boolean fresh = watch == null;
    boolean wasRecursive = !fresh && watch.recursive();
    if (fresh) {
      watch = asked;
    } else {
      watch.merge(connection.name(), events, FileWatch.patternOf(pathAndPattern));
    }
    int wd;
    try {
      wd = inotify.addWatch(watch.key, watch.kernelMask() | watch.kindFlags | Inotify.MASK_ADD);
    } catch (OsException e) {
      throw new CommunicatorException(
          CommunicatorException.Kind.WATCH_FAILED,
          e.errno(),
          "file-change connection \""
              + connection.name()
              + "\" cannot watch "
              + watch.path
              + ": "
              + e.getMessage()
              + (e.errno() == Errno.ENOENT
                  ? "; to wait for it, watch its directory with a pattern that matches its name."
                  : e.errno() == Errno.ENOSPC
                      ? "; raise /proc/sys/fs/inotify/max_user_watches."
                      : "."),
          e);
    }
    if (fresh) {
      watches.put(watch.key, watch);
    }
    place(wd, watch.key, new Placement(watch, HERE));
    int reportAs = (events & FileEvent.EXISTS) != 0 ? FileEvent.EXISTS : 0;
    boolean descend = watch.recursive() && !wasRecursive;
    if (Files.isDirectory(watch.key) && (reportAs != 0 || descend)) {
      scan(watch, watch.key, HERE, reportAs, descend, true);
    } else if (reportAs != 0 && Files.exists(watch.key, LinkOption.NOFOLLOW_LINKS)) {
      emit(watch, FileEvent.EXISTS, "", true);
    }
  }

  private static Path parentOf(Path path) {
    return path.getParent() == null ? Path.of(".") : path.getParent();
  }

  private void place(int wd, Path path, Placement placement) {
    KernelWatch kernel = kernelWatches.computeIfAbsent(wd, w -> new KernelWatch(path));
    if (!kernel.placements.contains(placement)) {
      kernel.placements.add(placement);
    }
    placement.watch().placements.put(placement.relative(), wd);
  }

  /** Takes a placement out; the kernel watch goes when nothing uses it any more. */
  private void unplace(FileWatch watch, Path relative) {
    Integer wd = watch.placements.remove(relative);
    if (wd == null) {
      return;
    }
    KernelWatch kernel = kernelWatches.get(wd);
    if (kernel == null) {
      return; // the kernel removed it already (IN_IGNORED)
    }
    kernel.placements.remove(new Placement(watch, relative));
    if (kernel.placements.isEmpty()) {
      kernelWatches.remove(wd);
      try {
        inotify.removeWatch(wd);
      } catch (OsException e) {
        // EINVAL: the kernel is removing it too (its path was deleted); its IN_IGNORED is dropped.
      }
    }
  }

  /** Ends a watch: all its placements, and whatever it still had to report. */
  private void drop(FileWatch watch) {
    watch.active = false;
    watches.remove(watch.key);
    for (Path relative : List.copyOf(watch.placements.keySet())) {
      unplace(watch, relative);
    }
  }

  /** Drops the subdirectory {@code relative} of a recursive watch, and everything under it. */
  private void detach(FileWatch watch, Path relative) {
    for (Path each : List.copyOf(watch.placements.keySet())) {
      if (each.startsWith(relative)) {
        unplace(watch, each);
      }
    }
  }

  /** Watches a new subdirectory of a recursive watch, then reads it. */
  private void attach(FileWatch watch, Path directory, Path relative, int reportAs, boolean later) {
    int wd;
    try {
      wd =
          inotify.addWatch(
              directory,
              watch.kernelMask() | Inotify.ONLYDIR | Inotify.DONT_FOLLOW | Inotify.MASK_ADD);
    } catch (OsException e) {
      if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        LOG.warn(
            "file-change connection \"{}\" cannot watch the subdirectory {}: {}",
            connection.name(),
            directory,
            e.getMessage());
        emit(watch, FileEvent.ERROR | FileEvent.DIRECTORY, relative.toString(), later);
      }
      return; // else it went away already, and that is reported by its parent
    }
    place(wd, directory, new Placement(watch, relative));
    scan(watch, directory, relative, reportAs, true, later);
  }

  /**
   * Reports what a directory holds as {@code reportAs} (none when 0), and attaches its
   * subdirectories when {@code descend}.
   */
  private void scan(
      FileWatch watch,
      Path directory,
      Path relative,
      int reportAs,
      boolean descend,
      boolean later) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
      listing.forEach(entries::add);
    } catch (IOException e) {
      return; // gone already: its deletion is reported by its parent
    }
    entries.sort(null);
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      boolean directoryEntry = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
      Path entryRelative = relative.resolve(name);
      if (reportAs != 0 && watch.matches(name)) {
        emit(
            watch,
            reportAs | (directoryEntry ? FileEvent.DIRECTORY : 0),
            entryRelative.toString(),
            later);
      }
      if (directoryEntry && descend) {
        attach(watch, entry, entryRelative, reportAs, later);
      }
    }
  }

  /** Reports what the watch asked for of {@code events}, now or (EXISTS) from the loop. */
  private void emit(FileWatch watch, int events, String name, boolean later) {
    int wanted = events & (watch.events | FileEvent.ALWAYS);
    if ((wanted & ~FileEvent.DIRECTORY) == 0) {
      return;
    }
    FileEvent event = new FileEvent(watch.path, wanted, name);
    if (later) {
      pending.add(new Pending(watch, event));
      connection.setTimeoutDate(TimeoutSchedule.wallMicros());
    } else {
      handler.changed(this, event);
    }
  }

  private void deliverPending() {
    while (!closed && !pending.isEmpty()) {
      Pending next = pending.poll();
      if (next.watch().active) {
        handler.changed(this, next.event());
      }
    }
  }

  /** Reads every event the kernel has (up to a bound per round), then reports them in order. */
  private void readAll() {
    List<Inotify.Event> events = new ArrayList<>();
    try {
      for (int reads = 0; reads < READS_PER_ROUND; reads++) {
        List<Inotify.Event> batch = inotify.take();
        if (batch.isEmpty()) {
          break;
        }
        events.addAll(batch);
      }
    } catch (OsException e) {
      LOG.error(
          "file-change connection \"{}\" cannot read its inotify fd: {}; closing it.",
          connection.name(),
          e.getMessage());
      handler.changed(this, new FileEvent(NO_PATH, FileEvent.ERROR, ""));
      close();
      return;
    }
    for (Inotify.Event event : events) {
      if (closed) {
        return;
      }
      dispatch(event);
    }
  }

  private void dispatch(Inotify.Event event) {
    int mask = event.mask();
    if (event.watch() == -1) {
      int what = (mask & Inotify.Q_OVERFLOW) != 0 ? FileEvent.LOST_SYNC : FileEvent.ERROR;
      handler.changed(this, new FileEvent(NO_PATH, what, event.name()));
      return;
    }
    KernelWatch kernel = kernelWatches.get(event.watch());
    if (kernel == null) {
      return; // a watch stopped or dropped already: its last events and its IN_IGNORED
    }
    if ((mask & Inotify.IGNORED) != 0) {
      kernelWatches.remove(event.watch());
    }
    int events = FileEvent.fromKernel(mask);
    String name = event.name();
    for (Placement placement : List.copyOf(kernel.placements)) {
      FileWatch watch = placement.watch();
      if (closed) {
        return;
      }
      if (!watch.active) {
        continue;
      }
      if (name.isEmpty()) {
        changedItself(watch, placement, mask, events);
      } else {
        changedInside(watch, kernel, placement.relative().resolve(name), name, mask, events);
      }
    }
  }

  /** The watched path, or one of its subdirectories, changed itself. */
  private void changedItself(FileWatch watch, Placement placement, int mask, int events) {
    boolean ended = (mask & (Inotify.IGNORED | Inotify.DELETE_SELF)) != 0;
    if (!placement.isRoot()) {
      // A subdirectory: its parent reports it by name (and detaches it).
      if (ended) {
        unplace(watch, placement.relative());
      }
      return;
    }
    if (ended) {
      drop(watch); // before the handler runs, so that it may watch the path again
    }
    emit(watch, events, "", false);
  }

  private void changedInside(
      FileWatch watch, KernelWatch kernel, Path relative, String name, int mask, int events) {
    if (watch.matches(name)) {
      emit(watch, events, relative.toString(), false);
    }
    if (watch.recursive() && watch.active && (mask & Inotify.ISDIR) != 0) {
      if ((mask & (Inotify.DELETE | Inotify.MOVED_FROM)) != 0) {
        detach(watch, relative);
      }
      if ((mask & (Inotify.CREATE | Inotify.MOVED_TO)) != 0) {
        attach(watch, kernel.path.resolve(name), relative, FileEvent.CREATED, false);
      }
    }
  }

  private void closeInotify() {
    if (closed) {
      return;
    }
    closed = true;
    for (FileWatch watch : List.copyOf(watches.values())) {
      watch.active = false;
    }
    watches.clear();
    kernelWatches.clear();
    pending.clear();
    inotify.close(); // the kernel drops the watches with the instance
  }

  @Override
  public String toString() {
    return "FileChangeConnection(\"" + connection.name() + "\", " + watches.size() + " watches)";
  }

  /** The loop's callbacks, kept off the public API. */
  private final class Events implements ConnectionHandler {
    @Override
    public void readable(Connection c) {
      deliverPending();
      if (!closed) {
        readAll();
      }
    }

    @Override
    public void timeout(Connection c) {
      deliverPending();
    }

    @Override
    public void removed(Connection c) {
      closeInotify();
    }
  }
}
