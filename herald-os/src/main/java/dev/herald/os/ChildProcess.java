package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts programs with {@code posix_spawnp(3)} and collects their status with {@code waitid(2)},
 * for children that the JVM does not know about.
 *
 * <p>Why not {@link ProcessBuilder}: it can hand a child only its three standard streams (a pipe
 * end reaches it through {@code /proc/self/fd/N}, a socket cannot), it clears the child's signal
 * mask, and the JVM reaps each child it starts with {@code waitpid(pid)} on its own "process
 * reaper" thread, so that nothing else may wait for that pid. A child spawned here gets any fd at
 * any number, starts with the signal mask asked for, and is reaped by whoever calls {@link #reap}
 * for its pid, and by no one else (the JVM never waits for a pid it did not start).
 *
 * <p>Fds without close-on-exec are inherited by the child, as with any {@code posix_spawn}; every
 * fd Herald opens has close-on-exec set.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.create(0);
 * int pid = ChildProcess.spawn(List.of("tr", "a-z", "A-Z"), Map.of(0, pipe.source()));
 * pipe.source().close();                          // the child has its own copy
 * ChildStatus status = ChildProcess.reap(pid, true);
 * }</pre>
 */
public final class ChildProcess {
  /** {@code sizeof(posix_spawn_file_actions_t)} in glibc is 80; room to spare. */
  private static final int FILE_ACTIONS_SIZE = 256;

  /** {@code sizeof(posix_spawnattr_t)} in glibc is 336; room to spare. */
  private static final int ATTRIBUTES_SIZE = 512;

  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

  private static final int P_PID = 1;
  private static final int WNOHANG = 1;
  private static final int WEXITED = 4;
  private static final int SIGINFO_SIZE = 128;

  private ChildProcess() {}

  /**
   * Starts {@code command} (looked up in {@code PATH}) with this JVM's environment.
   *
   * @param command the program and its arguments
   * @param fds which of this process's fds the child gets, by the number it sees them under (e.g.
   *     {@code 0} for its standard input); its other standard streams are this process's
   * @param blockedSignals the child's signal mask (empty: nothing blocked). Signals blocked here
   *     stay blocked in every thread of a child JVM that does not unblock them itself.
   * @return the child's pid
   * @throws OsException from {@code posix_spawnp}: ENOENT if there is no such program
   */
  public static int spawn(
      List<String> command, Map<Integer, ? extends Fd> fds, int... blockedSignals) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("cannot spawn an empty command");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 8);
      MemorySegment attributes = arena.allocate(ATTRIBUTES_SIZE, 8);
      check(Libc.SPAWN_FILE_ACTIONS_INIT.call(actions), "posix_spawn_file_actions_init", command);
      check(Libc.SPAWNATTR_INIT.call(attributes), "posix_spawnattr_init", command);
      List<Fd> pinned = new ArrayList<>();
      try {
        for (Map.Entry<Integer, ? extends Fd> entry : fds.entrySet()) {
          Fd fd = entry.getValue();
          int number = fd.acquire(); // kept open until the child has its copy
          pinned.add(fd);
          check(
              Libc.SPAWN_FILE_ACTIONS_ADDDUP2.call(actions, number, entry.getKey()),
              "posix_spawn_file_actions_adddup2",
              command);
        }
        check(
            Libc.SPAWNATTR_SETSIGMASK.call(attributes, Signals.sigset(arena, blockedSignals)),
            "posix_spawnattr_setsigmask",
            command);
        check(
            Libc.SPAWNATTR_SETFLAGS.call(attributes, POSIX_SPAWN_SETSIGMASK),
            "posix_spawnattr_setflags",
            command);
        MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
        check(
            Libc.POSIX_SPAWNP.call(
                pid,
                arena.allocateFrom(command.getFirst()),
                actions,
                attributes,
                strings(arena, command),
                strings(arena, environment())),
            "posix_spawnp",
            command);
        return pid.get(ValueLayout.JAVA_INT, 0);
      } finally {
        pinned.forEach(Fd::release);
        Libc.SPAWN_FILE_ACTIONS_DESTROY.call(actions);
        Libc.SPAWNATTR_DESTROY.call(attributes);
      }
    }
  }

  /**
   * Collects the status of child {@code pid} if it has ended, and so reaps it ({@code waitid(P_PID,
   * pid, WEXITED)}); no other child is touched. Never call it for a child of {@link
   * ProcessBuilder}: the JVM's reaper thread waits for that pid, and would lose its status.
   *
   * @param pid a child of this process
   * @param wait whether to block until it ends
   * @return its status, or null if it is still running and {@code wait} is false
   * @throws OsException ECHILD if {@code pid} is not a child of this process, or was reaped already
   */
  public static ChildStatus reap(int pid, boolean wait) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
      int rc;
      do {
        rc = Libc.WAITID.call(P_PID, pid, info, WEXITED | (wait ? 0 : WNOHANG));
      } while (rc == -Errno.EINTR);
      OsException.check(rc, "waitid", "child " + pid);
      if (info.get(ValueLayout.JAVA_INT, 16) == 0) {
        return null; // WNOHANG and still running: si_pid stays 0
      }
      int code = info.get(ValueLayout.JAVA_INT, 8);
      int value = info.get(ValueLayout.JAVA_INT, 24);
      ChildStatus.How how =
          switch (code) {
            case 1 -> ChildStatus.How.EXITED;
            case 2 -> ChildStatus.How.KILLED;
            default -> ChildStatus.How.DUMPED;
          };
      return new ChildStatus(pid, how, value);
    }
  }

  static List<String> environment() {
    List<String> environment = new ArrayList<>();
    System.getenv().forEach((name, value) -> environment.add(name + "=" + value));
    return environment;
  }

  /** A NULL-terminated array of C strings. */
  static MemorySegment strings(Arena arena, List<String> values) {
    MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
    for (int i = 0; i < values.size(); i++) {
      array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values.get(i)));
    }
    array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
    return array;
  }

  private static void check(int error, String call, List<String> command) {
    if (error != 0) {
      throw new OsException(call, command.getFirst(), error);
    }
  }
}
