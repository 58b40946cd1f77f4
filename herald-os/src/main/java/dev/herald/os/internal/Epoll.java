package dev.herald.os.internal;

import dev.herald.os.Errno;
import dev.herald.os.FdOwner;
import dev.herald.os.OsException;
import dev.herald.os.OwnedFd;
import java.lang.foreign.MemorySegment;

/**
 * An epoll instance ({@code epoll_create1(EPOLL_CLOEXEC)}): an interest list of fds with a mask and
 * a 64-bit data word each, and a wait that fills an {@link EpollEvents} buffer.
 *
 * <pre>{@code
 * try (Epoll epoll = Epoll.create(); EpollEvents ready = EpollEvents.allocate(256)) {
 *   epoll.add(socket.fd(), Epoll.IN | Epoll.READ_HANG_UP, 7);
 *   int n = epoll.await(ready, -1);
 * }
 * }</pre>
 */
public final class Epoll extends FdOwner {
  /** EPOLLIN. */
  public static final int IN = 0x001;

  /** EPOLLPRI. */
  public static final int PRIORITY = 0x002;

  /** EPOLLOUT. */
  public static final int OUT = 0x004;

  /** EPOLLERR (always reported). */
  public static final int ERROR = 0x008;

  /** EPOLLHUP (always reported). */
  public static final int HANG_UP = 0x010;

  /** EPOLLRDHUP. */
  public static final int READ_HANG_UP = 0x2000;

  /** EPOLLEXCLUSIVE. */
  public static final int EXCLUSIVE = 1 << 28;

  /** EPOLLWAKEUP. */
  public static final int WAKE_UP = 1 << 29;

  /** EPOLLONESHOT. */
  public static final int ONE_SHOT = 1 << 30;

  /** EPOLLET. */
  public static final int EDGE_TRIGGERED = 1 << 31;

  private static final int EPOLL_CLOEXEC = O_CLOEXEC;
  private static final int CTL_ADD = 1;
  private static final int CTL_DEL = 2;
  private static final int CTL_MOD = 3;

  private Epoll(OwnedFd epfd) {
    super(epfd);
  }

  /**
   * Creates an epoll instance with close-on-exec set.
   *
   * @return the instance
   * @throws OsException e.g. EMFILE when the process is out of descriptors
   */
  public static Epoll create() {
    return new Epoll(
        OwnedFd.adopt(
            OsException.check(Libc.EPOLL_CREATE1.call(EPOLL_CLOEXEC), "epoll_create1", "")));
  }

  /**
   * Creates an epoll instance with explicit {@code epoll_create1} flags (for tests of the error
   * path).
   *
   * @param flags 0 or {@code O_CLOEXEC}; anything else fails with EINVAL
   * @return the instance
   */
  public static Epoll create(int flags) {
    return new Epoll(
        OwnedFd.adopt(OsException.check(Libc.EPOLL_CREATE1.call(flags), "epoll_create1", "")));
  }

  /**
   * Adds {@code fd} to the interest list ({@code EPOLL_CTL_ADD}).
   *
   * @param fd the descriptor to watch
   * @param events the mask of {@code IN}, {@code OUT}, ... bits
   * @param data the word returned with each ready entry
   * @throws OsException EEXIST if present, EBADF for a closed fd, EPERM for a regular file
   */
  public void add(int fd, int events, long data) {
    control(CTL_ADD, "epoll_ctl(ADD)", fd, events, data);
  }

  /**
   * Replaces the mask and data of a registered {@code fd} ({@code EPOLL_CTL_MOD}).
   *
   * @param fd the registered descriptor
   * @param events the new mask
   * @param data the new data word
   * @throws OsException ENOENT if {@code fd} is not registered
   */
  public void modify(int fd, int events, long data) {
    control(CTL_MOD, "epoll_ctl(MOD)", fd, events, data);
  }

  /**
   * Removes {@code fd} from the interest list ({@code EPOLL_CTL_DEL}).
   *
   * @param fd the registered descriptor
   * @throws OsException ENOENT if it is not registered, EBADF if it is closed
   */
  public void delete(int fd) {
    control(CTL_DEL, "epoll_ctl(DEL)", fd, 0, 0);
  }

  private void control(int op, String call, int fd, int events, long data) {
    MemorySegment event = Libc.scratch();
    EpollEvents.write(event, events, data);
    int epfd = acquire();
    try {
      int rc = Libc.EPOLL_CTL.call(epfd, op, fd, event);
      if (rc < 0) {
        throw new OsException(call, "fd " + fd + " (epoll fd " + epfd + ")", -rc);
      }
    } finally {
      release();
    }
  }

  /**
   * Waits for ready fds ({@code epoll_wait}) and fills {@code ready} from index 0.
   *
   * <p>An interruption by a signal (EINTR) returns 0 like a timeout, rather than retrying with a
   * timeout that would then be too long.
   *
   * @param ready the buffer to fill; its whole capacity is offered to the kernel
   * @param timeoutMillis 0 to poll, -1 to block, otherwise the most milliseconds to wait
   * @return the number of entries filled, 0 on timeout or EINTR
   * @throws OsException EINVAL for a zero-capacity buffer, EBADF once closed
   */
  public int await(EpollEvents ready, int timeoutMillis) {
    int fd = acquire();
    try {
      int n = Libc.EPOLL_WAIT.call(fd, ready.segment(), ready.capacity(), timeoutMillis);
      if (n >= 0) {
        return n;
      }
      if (n == -Errno.EINTR) {
        return 0;
      }
      throw new OsException("epoll_wait", "epoll fd " + fd, -n);
    } finally {
      release();
    }
  }
}
