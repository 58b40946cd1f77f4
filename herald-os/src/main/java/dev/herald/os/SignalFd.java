package dev.herald.os;

import dev.herald.os.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Signals delivered as readable records ({@code signalfd(2)}), so an event loop handles them like
 * any other fd. Creating one blocks the signals in the calling thread; read it from that thread
 * (see {@link Signals} for why process-directed signals may not arrive in a JVM).
 *
 * <pre>{@code
 * try (SignalFd signals = SignalFd.create(Signals.SIGUSR1)) {
 *   Signals.raise(Signals.threadId(), Signals.SIGUSR1);
 *   SignalFd.Info info = signals.take(); // Info[signal=10, ...]
 * }
 * }</pre>
 */
public final class SignalFd extends FdOwner {
  /** {@code sizeof(struct signalfd_siginfo)}. */
  private static final int INFO_SIZE = 128;

  /**
   * One received signal (the leading fields of {@code struct signalfd_siginfo}).
   *
   * @param signal the signal number
   * @param code {@code si_code}: how it was sent (e.g. {@code SI_TKILL} = -6)
   * @param senderPid the sending process
   * @param senderUid the sender's real user id
   */
  public record Info(int signal, int code, int senderPid, int senderUid) {}

  private final Arena arena = Arena.ofShared();
  private final MemorySegment info = arena.allocate(INFO_SIZE, 8);

  private SignalFd(OwnedFd fd) {
    super(fd);
  }

  /**
   * Blocks {@code signals} in the calling thread and creates a non-blocking, close-on-exec signalfd
   * for them.
   *
   * @param signals signal numbers (SIGKILL and SIGSTOP are silently ignored by the kernel)
   * @return the signalfd
   */
  public static SignalFd create(int... signals) {
    Signals.block(signals);
    try (Arena arena = Arena.ofConfined()) {
      int rc = Libc.SIGNALFD.call(-1, Signals.sigset(arena, signals), O_NONBLOCK | O_CLOEXEC);
      return new SignalFd(OwnedFd.adopt(OsException.check(rc, "signalfd", "")));
    }
  }

  /**
   * Reads one pending signal.
   *
   * @return the signal, or {@code null} if none is pending
   */
  public Info take() {
    long rc = read(info); // the kernel hands out whole siginfo records only
    if (rc != INFO_SIZE) {
      return null;
    }
    return new Info(
        info.get(ValueLayout.JAVA_INT, 0),
        info.get(ValueLayout.JAVA_INT, 8),
        info.get(ValueLayout.JAVA_INT, 12),
        info.get(ValueLayout.JAVA_INT, 16));
  }

  /** Closes the fd; the signals stay blocked in the thread that created it. */
  @Override
  public void close() {
    fd.close();
    arena.close();
  }
}
