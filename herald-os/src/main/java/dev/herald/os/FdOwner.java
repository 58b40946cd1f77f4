package dev.herald.os;

/**
 * The base of Herald's descriptor types (epoll, eventfd, timerfd, signalfd, inotify, files): one
 * {@link OwnedFd} inside, whose use count and close they share.
 */
abstract class FdOwner implements Fd, AutoCloseable {
  final OwnedFd fd;

  FdOwner(OwnedFd fd) {
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
