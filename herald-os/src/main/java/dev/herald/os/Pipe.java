package dev.herald.os;

import dev.herald.os.internal.FdPair;
import dev.herald.os.internal.Libc;

/**
 * A unidirectional pipe ({@code pipe2(2)}): bytes written to {@link #sink()} come out of {@link
 * #source()}.
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.create(Pipe.NONBLOCK)) {
 *   pipe.sink().write(bytes);
 *   long n = pipe.source().read(buffer);
 * }
 * }</pre>
 */
public final class Pipe implements AutoCloseable {
  /** {@code O_NONBLOCK} on both ends. */
  public static final int NONBLOCK = Fd.O_NONBLOCK;

  private final OwnedFd source;
  private final OwnedFd sink;

  private Pipe(OwnedFd source, OwnedFd sink) {
    this.source = source;
    this.sink = sink;
  }

  /**
   * Creates a pipe; close-on-exec is always set on both ends.
   *
   * @param flags 0 or {@link #NONBLOCK}
   * @return the pipe
   */
  public static Pipe create(int flags) {
    FdPair pair = FdPair.open("pipe2", fds -> Libc.PIPE2.call(fds, flags | Fd.O_CLOEXEC));
    return new Pipe(pair.first, pair.second);
  }

  /**
   * The read end.
   *
   * @return the read end, owned by this pipe
   */
  public OwnedFd source() {
    return source;
  }

  /**
   * The write end.
   *
   * @return the write end, owned by this pipe
   */
  public OwnedFd sink() {
    return sink;
  }

  /** Closes both ends (each at most once). */
  @Override
  public void close() {
    try {
      sink.close();
    } finally {
      source.close();
    }
  }
}
