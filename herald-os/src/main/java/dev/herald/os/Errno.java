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

  /** Bad file descriptor. */
  public static final int EBADF = 9;

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

  /** Operation not supported. */
  public static final int EOPNOTSUPP = 95;

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
