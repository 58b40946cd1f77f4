package dev.herald.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The glibc entry points Herald uses, as FFM downcall handles.
 *
 * <p>Convention: every wrapper returns the call's non-negative result, or {@code -errno} on
 * failure, the way the raw kernel interface does. errno is captured by the linker into a per-thread
 * segment in the same downcall (reading it afterwards would race with the JVM's own calls), so a
 * wrapper allocates nothing and keeps no state between calls.
 */
// Restricted FFM methods are this module's purpose; callers need --enable-native-access.
@SuppressWarnings("restricted")
final class Libc {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

  /** One capture segment per thread, kept for the thread's life: no allocation per call. */
  private static final ThreadLocal<MemorySegment> CAPTURE_STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

  /** A 32-byte scratch buffer per thread: a counter, one epoll_event or one itimerspec. */
  private static final ThreadLocal<MemorySegment> SCRATCH =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(32, 8));

  private static final MethodHandle EPOLL_CREATE1 = capturing("epoll_create1", JAVA_INT, JAVA_INT);
  private static final MethodHandle EPOLL_CTL =
      capturing("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
  private static final MethodHandle EPOLL_WAIT =
      capturing("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  private static final MethodHandle EVENTFD = capturing("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle TIMERFD_CREATE =
      capturing("timerfd_create", JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle TIMERFD_SETTIME =
      capturing("timerfd_settime", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
  private static final MethodHandle TIMERFD_GETTIME =
      capturing("timerfd_gettime", JAVA_INT, JAVA_INT, ADDRESS);
  private static final MethodHandle SIGNALFD =
      capturing("signalfd", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle PTHREAD_SIGMASK =
      plain("pthread_sigmask", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
  private static final MethodHandle TGKILL =
      capturing("tgkill", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle GETTID = plain("gettid", JAVA_INT);
  private static final MethodHandle GETPID = plain("getpid", JAVA_INT);
  private static final MethodHandle INOTIFY_INIT1 = capturing("inotify_init1", JAVA_INT, JAVA_INT);
  private static final MethodHandle INOTIFY_ADD_WATCH =
      capturing("inotify_add_watch", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle INOTIFY_RM_WATCH =
      capturing("inotify_rm_watch", JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle PIPE2 = capturing("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle SOCKETPAIR =
      capturing("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
  private static final MethodHandle CLOSE = capturing("close", JAVA_INT, JAVA_INT);
  private static final MethodHandle READ =
      capturing("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle WRITE =
      capturing("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle FCNTL_GET = capturing("fcntl", JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle FCNTL_SET =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("fcntl").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
          CAPTURE,
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle FLOCK = capturing("flock", JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle MMAP =
      capturing("mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
  private static final MethodHandle MUNMAP = capturing("munmap", JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle OPEN =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("open").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
          CAPTURE,
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle FALLOCATE =
      capturing("fallocate", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
  private static final MethodHandle FTRUNCATE =
      capturing("ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
  private static final MethodHandle FSTAT = capturing("fstat", JAVA_INT, JAVA_INT, ADDRESS);
  private static final MethodHandle RENAMEAT2 =
      capturing("renameat2", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle UNLINK = capturing("unlink", JAVA_INT, ADDRESS);
  private static final MethodHandle STRERRORDESC_NP = plain("strerrordesc_np", ADDRESS, JAVA_INT);
  private static final MethodHandle STRERRORNAME_NP = plain("strerrorname_np", ADDRESS, JAVA_INT);

  private Libc() {}

  private static MethodHandle capturing(
      String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
    return LINKER.downcallHandle(
        LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)),
        FunctionDescriptor.of(result, args),
        CAPTURE);
  }

  private static MethodHandle plain(
      String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
    return LINKER.downcallHandle(
        LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)),
        FunctionDescriptor.of(result, args));
  }

  private static int result(int rc, MemorySegment state) {
    return rc < 0 ? -(int) ERRNO.get(state, 0L) : rc;
  }

  private static long result(long rc, MemorySegment state) {
    return rc < 0 ? -(int) ERRNO.get(state, 0L) : rc;
  }

  private static AssertionError linkageFailure(Throwable t) {
    return new AssertionError("downcall failed to link or invoke", t);
  }

  /** The calling thread's 32-byte scratch buffer (never hand it to another thread). */
  static MemorySegment scratch() {
    return SCRATCH.get();
  }

  static int epollCreate1(int flags) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) EPOLL_CREATE1.invokeExact(st, flags), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) EPOLL_CTL.invokeExact(st, epfd, op, fd, event), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int epollWait(int epfd, MemorySegment events, int max, int timeoutMillis) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) EPOLL_WAIT.invokeExact(st, epfd, events, max, timeoutMillis), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int eventfd(int initval, int flags) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) EVENTFD.invokeExact(st, initval, flags), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int timerfdCreate(int clock, int flags) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) TIMERFD_CREATE.invokeExact(st, clock, flags), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int timerfdSettime(int fd, int flags, MemorySegment spec, MemorySegment old) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) TIMERFD_SETTIME.invokeExact(st, fd, flags, spec, old), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int timerfdGettime(int fd, MemorySegment spec) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) TIMERFD_GETTIME.invokeExact(st, fd, spec), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int signalfd(int fd, MemorySegment mask, int flags) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) SIGNALFD.invokeExact(st, fd, mask, flags), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  /** pthread_sigmask returns the error number itself rather than setting errno. */
  static int pthreadSigmask(int how, MemorySegment set, MemorySegment old) {
    try {
      int rc = (int) PTHREAD_SIGMASK.invokeExact(how, set, old);
      return rc == 0 ? 0 : -rc;
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int tgkill(int pid, int tid, int signal) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) TGKILL.invokeExact(st, pid, tid, signal), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int getpid() {
    try {
      return (int) GETPID.invokeExact();
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int inotifyInit1(int flags) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) INOTIFY_INIT1.invokeExact(st, flags), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int inotifyAddWatch(int fd, MemorySegment path, int mask) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) INOTIFY_ADD_WATCH.invokeExact(st, fd, path, mask), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int inotifyRmWatch(int fd, int wd) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) INOTIFY_RM_WATCH.invokeExact(st, fd, wd), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int pipe2(MemorySegment fds, int flags) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) PIPE2.invokeExact(st, fds, flags), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) SOCKETPAIR.invokeExact(st, domain, type, protocol, fds), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int close(int fd) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) CLOSE.invokeExact(st, fd), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static long read(int fd, MemorySegment buffer, long count) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((long) READ.invokeExact(st, fd, buffer, count), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static long write(int fd, MemorySegment buffer, long count) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((long) WRITE.invokeExact(st, fd, buffer, count), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int fcntl(int fd, int cmd) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) FCNTL_GET.invokeExact(st, fd, cmd), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int fcntl(int fd, int cmd, int arg) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) FCNTL_SET.invokeExact(st, fd, cmd, arg), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int flock(int fd, int operation) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) FLOCK.invokeExact(st, fd, operation), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  /** Returns the mapped address, or {@code -errno} (MAP_FAILED is {@code (void*) -1}). */
  static long mmap(long address, long length, int prot, int flags, int fd, long offset) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      MemorySegment p =
          (MemorySegment)
              MMAP.invokeExact(
                  st, MemorySegment.ofAddress(address), length, prot, flags, fd, offset);
      return p.address() == -1L ? -(int) ERRNO.get(st, 0L) : p.address();
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int munmap(long address, long length) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) MUNMAP.invokeExact(st, MemorySegment.ofAddress(address), length), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int open(MemorySegment path, int flags, int mode) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) OPEN.invokeExact(st, path, flags, mode), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int fallocate(int fd, int mode, long offset, long length) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) FALLOCATE.invokeExact(st, fd, mode, offset, length), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int ftruncate(int fd, long length) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) FTRUNCATE.invokeExact(st, fd, length), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int fstat(int fd, MemorySegment stat) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) FSTAT.invokeExact(st, fd, stat), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int renameat2(
      int oldDir, MemorySegment oldPath, int newDir, MemorySegment newPath, int flags) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) RENAMEAT2.invokeExact(st, oldDir, oldPath, newDir, newPath, flags), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  static int unlink(MemorySegment path) {
    MemorySegment st = CAPTURE_STATE.get();
    try {
      return result((int) UNLINK.invokeExact(st, path), st);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }

  /** glibc's English description of an errno ("Bad file descriptor"), or null if unknown. */
  static String errnoDescription(int errno) {
    return cString(STRERRORDESC_NP, errno);
  }

  /** glibc's symbolic name of an errno ("EBADF"), or null if unknown. */
  static String errnoName(int errno) {
    return cString(STRERRORNAME_NP, errno);
  }

  private static String cString(MethodHandle fn, int errno) {
    try {
      MemorySegment p = (MemorySegment) fn.invokeExact(errno);
      return p.address() == 0 ? null : p.reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw linkageFailure(t);
    }
  }
}
