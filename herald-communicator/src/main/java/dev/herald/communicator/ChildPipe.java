package dev.herald.communicator;

import dev.herald.os.Fd;
import dev.herald.os.OwnedFd;
import dev.herald.os.Pipe;
import dev.herald.os.SocketPair;
import java.io.File;
import java.util.Objects;

/**
 * A pipe between this process and a child process (upstream's {@code pipe_connection}): one end for
 * the child, the other a {@link Transport} for a {@link StreamConnection} or a {@link
 * MessageConnection} here, so that bytes, lines and messages go through the same framing layer as
 * on sockets.
 *
 * <p>Upstream forks and lets {@code forked()} pick the side; a JVM cannot fork, so the child is
 * started with its end and {@link #forked()} then closes that end here (else this process would
 * keep the pipe open and never see the child's end of stream). The child gets its end in one of two
 * ways:
 *
 * <ul>
 *   <li>{@link #redirect()} for a {@link ProcessBuilder}: the JVM passes only files to a child, so
 *       the end is reopened by the path {@code /proc/self/fd/N} (in this process, before the child
 *       starts); a pipe reopened that way is the same pipe. A socket cannot be reopened by path
 *       ({@code ENXIO}), so {@link Kind#BIDIRECTIONAL} has no redirect.
 *   <li>{@link #childEnd()} for {@link dev.herald.os.ChildProcess#spawn}, which maps any fd to any
 *       number in the child, a socket included.
 * </ul>
 *
 * <pre>{@code
 * ChildPipe output = ChildPipe.create(ChildPipe.Kind.CHILD_OUTPUT);
 * Process child = new ProcessBuilder("ls").redirectOutput(output.redirect()).start();
 * StreamConnection.open(communicator, "ls", output.forked(), Framing.lines(), handler);
 * }</pre>
 */
public final class ChildPipe implements AutoCloseable {
  /** Which way the bytes go (upstream's {@code pipe_t}). */
  public enum Kind {
    /** Both ways: a Unix stream socket pair ({@code PIPE_BIDIRECTIONAL}). */
    BIDIRECTIONAL,
    /** This process writes, the child reads, typically as its standard input. */
    CHILD_INPUT,
    /** The child writes, typically as its standard output, this process reads. */
    CHILD_OUTPUT
  }

  private final Kind kind;
  private final OwnedFd ours;
  private final OwnedFd childs;
  private boolean handedOver;

  private ChildPipe(Kind kind, OwnedFd ours, OwnedFd childs) {
    this.kind = kind;
    this.ours = ours;
    this.childs = childs;
  }

  /**
   * Creates the pipe (or socket pair). Both ends are close-on-exec; the child's end is blocking, as
   * programs expect of their standard streams.
   *
   * @param kind which way the bytes go
   * @return the pipe
   * @throws dev.herald.os.OsException when the kernel refuses (EMFILE)
   */
  public static ChildPipe create(Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return switch (kind) {
      case BIDIRECTIONAL -> {
        SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, 0);
        yield new ChildPipe(kind, pair.first(), pair.second());
      }
      case CHILD_INPUT -> {
        Pipe pipe = Pipe.create(0);
        yield new ChildPipe(kind, pipe.sink(), pipe.source());
      }
      case CHILD_OUTPUT -> {
        Pipe pipe = Pipe.create(0);
        yield new ChildPipe(kind, pipe.source(), pipe.sink());
      }
    };
  }

  /**
   * Which way the bytes go.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The child's end, for {@link dev.herald.os.ChildProcess#spawn} (e.g. {@code Map.of(0,
   * pipe.childEnd(), 1, pipe.childEnd())} for a bidirectional pipe on standard input and output).
   *
   * @return the end, owned by this pipe until {@link #forked()}
   */
  public Fd childEnd() {
    return childs;
  }

  /**
   * The child's end as a {@link ProcessBuilder} redirect: {@code Redirect.from} for {@link
   * Kind#CHILD_INPUT}, {@code Redirect.to} for {@link Kind#CHILD_OUTPUT}, through {@code
   * /proc/self/fd/N}. Use it with {@code redirectInput} or {@code redirectOutput}/{@code
   * redirectError} respectively, then call {@link #forked()} once the process started.
   *
   * @return the redirect
   * @throws CommunicatorException {@code INVALID_PARAMETER} for {@link Kind#BIDIRECTIONAL}: a
   *     socket cannot be reopened by path; use {@link dev.herald.os.ChildProcess#spawn} with {@link
   *     #childEnd()}
   */
  public ProcessBuilder.Redirect redirect() {
    File path = new File("/proc/self/fd/" + childs.fd());
    return switch (kind) {
      case CHILD_INPUT -> ProcessBuilder.Redirect.from(path);
      case CHILD_OUTPUT -> ProcessBuilder.Redirect.to(path);
      case BIDIRECTIONAL ->
          throw new CommunicatorException(
              CommunicatorException.Kind.INVALID_PARAMETER,
              "a bidirectional pipe is a socket pair, which a ProcessBuilder child cannot open by"
                  + " path (ENXIO); start the child with ChildProcess.spawn(command,"
                  + " Map.of(0, pipe.childEnd(), 1, pipe.childEnd())) instead.");
    };
  }

  /**
   * The child has started with its end: closes that end in this process (upstream's {@code
   * forked()} in the parent) and hands over this side.
   *
   * @return this side, non-blocking, for {@link StreamConnection#open} or {@link
   *     MessageConnection#open}; closing the transport closes it
   * @throws IllegalStateException when called twice
   */
  public Transport forked() {
    if (handedOver) {
      throw new IllegalStateException("forked() was called already on this " + kind + " pipe");
    }
    handedOver = true;
    childs.close();
    return Transport.of(ours);
  }

  /** Closes what this pipe still owns: both ends before {@link #forked()}, nothing after. */
  @Override
  public void close() {
    if (!handedOver) {
      handedOver = true;
      try {
        childs.close();
      } finally {
        ours.close();
      }
    }
  }

  @Override
  public String toString() {
    return "ChildPipe(" + kind + ", ours " + ours + ", child's " + childs + ")";
  }
}
