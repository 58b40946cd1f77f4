package dev.herald.os;

import dev.herald.os.internal.Libc;

/**
 * Linux errno values Herald checks for by name, and the kernel's names and texts for any errno.
 *
 * <pre>{@code
 * catch (OsException e) {
 *   if (e.errno() == Errno.EAGAIN) { ... }      // 11
 *   Errno.name(e.errno());                      // "EAGAIN"
 *   Errno.description(e.errno());               // "Resource temporarily unavailable"
 * }
 * }</pre>
 */
public final class Errno {
  /** Operation not permitted. */
  public static final int EPERM = 1;

  /** No such file or directory. */
  public static final int ENOENT = 2;

  /** No such process. */
  public static final int ESRCH = 3;

  /** Interrupted system call. */
  public static final int EINTR = 4;

  /** No such device or address (a FIFO opened for writing without a reader). */
  public static final int ENXIO = 6;

  /** Bad file descriptor. */
  public static final int EBADF = 9;

  /** No child processes (not a child, or reaped already). */
  public static final int ECHILD = 10;

  /** Resource temporarily unavailable (EWOULDBLOCK). */
  public static final int EAGAIN = 11;

  /** Cannot allocate memory. */
  public static final int ENOMEM = 12;

  /** Permission denied. */
  public static final int EACCES = 13;

  /** File exists. */
  public static final int EEXIST = 17;

  /** Invalid argument. */
  public static final int EINVAL = 22;

  /** Too many open files. */
  public static final int EMFILE = 24;

  /** No space left on device. */
  public static final int ENOSPC = 28;

  /** Broken pipe. */
  public static final int EPIPE = 32;

  /** Socket operation on non-socket. */
  public static final int ENOTSOCK = 88;

  /** Protocol not available (an unknown or read-only socket option). */
  public static final int ENOPROTOOPT = 92;

  /** Operation not supported. */
  public static final int EOPNOTSUPP = 95;

  /** Address family not supported by protocol. */
  public static final int EAFNOSUPPORT = 97;

  /** Address already in use. */
  public static final int EADDRINUSE = 98;

  /** Cannot assign requested address. */
  public static final int EADDRNOTAVAIL = 99;

  /** Network is unreachable. */
  public static final int ENETUNREACH = 101;

  /** Software caused connection abort. */
  public static final int ECONNABORTED = 103;

  /** Connection reset by peer. */
  public static final int ECONNRESET = 104;

  /** Transport endpoint is already connected. */
  public static final int EISCONN = 106;

  /** Transport endpoint is not connected. */
  public static final int ENOTCONN = 107;

  /** Connection timed out. */
  public static final int ETIMEDOUT = 110;

  /** Connection refused. */
  public static final int ECONNREFUSED = 111;

  /** No route to host. */
  public static final int EHOSTUNREACH = 113;

  /** Operation already in progress. */
  public static final int EALREADY = 114;

  /** Operation now in progress (a non-blocking connect). */
  public static final int EINPROGRESS = 115;

  private Errno() {}

  /**
   * The symbolic name of an errno, e.g. {@code "EBADF"}.
   *
   * @param errno a positive errno value
   * @return the name, or {@code "errno N"} for a value the C library does not know
   */
  public static String name(int errno) {
    String name = Libc.cString(Libc.STRERRORNAME_NP.call(errno));
    return name != null ? name : "errno " + errno;
  }

  /**
   * The C library's description of an errno, e.g. {@code "Bad file descriptor"} (the text of {@code
   * strerror}).
   *
   * @param errno a positive errno value
   * @return the description, or {@code "Unknown error N"} for a value the C library does not know
   */
  public static String description(int errno) {
    String text = Libc.cString(Libc.STRERRORDESC_NP.call(errno));
    return text != null ? text : "Unknown error " + errno;
  }
}
