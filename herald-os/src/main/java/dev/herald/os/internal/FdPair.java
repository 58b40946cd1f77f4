package dev.herald.os.internal;

import dev.herald.os.OsException;
import dev.herald.os.OwnedFd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.ToIntFunction;

/** The {@code int fds[2]} calls ({@code pipe2}, {@code socketpair}): run one, adopt both fds. */
public final class FdPair {
  public final OwnedFd first;
  public final OwnedFd second;

  private FdPair(OwnedFd first, OwnedFd second) {
    this.first = first;
    this.second = second;
  }

  /** Runs {@code call} on a fresh two-int array; {@code name} names it in errors. */
  public static FdPair open(String name, ToIntFunction<MemorySegment> call) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
      OsException.check(call.applyAsInt(fds), name, "");
      return new FdPair(
          OwnedFd.adopt(fds.getAtIndex(ValueLayout.JAVA_INT, 0)),
          OwnedFd.adopt(fds.getAtIndex(ValueLayout.JAVA_INT, 1)));
    }
  }
}
