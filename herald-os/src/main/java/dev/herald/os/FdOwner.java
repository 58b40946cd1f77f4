package dev.herald.os;

/**
 * The base of a type that owns one descriptor (Herald's eventfd, timerfd, signalfd, inotify, epoll
 * and file types): one {@link OwnedFd} inside, whose use count ({@link #acquire()}/{@link
 * #release()}) and close the type shares.
 *
 * <pre>{@code
 * final class MyFd extends FdOwner {
 *   MyFd(int raw) {
 *     super(OwnedFd.adopt(raw));
 *   }
 * }
 * }</pre>
 */
public abstract class FdOwner implements Fd, AutoCloseable {
  /** The descriptor, closed by {@link #close()}. */
  protected final OwnedFd fd;

  /**
   * Wraps an owned descriptor.
   *
   * @param fd the descriptor, owned from now on by this object
   */
  protected FdOwner(OwnedFd fd) {
    this.fd = fd;
  }

  @Override
  public final int fd() {
    return fd.fd();
  }

  @Override
  public final int acquire() {
    return fd.acquire();
  }

  @Override
  public final void release() {
    fd.release();
  }

  /**
   * Whether {@link #close()} has run.
   *
   * @return true once closed
   */
  public final boolean isClosed() {
    return fd.isClosed();
  }

  /** Closes the descriptor (see {@link OwnedFd#close()}); later calls do nothing. */
  @Override
  public void close() {
    fd.close();
  }
}
