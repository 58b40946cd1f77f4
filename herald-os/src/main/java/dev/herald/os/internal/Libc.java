package dev.herald.os.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The glibc functions Herald calls, each declared by its C prototype and bound by {@link Downcall}.
 *
 * <p>Convention: a function marked as setting errno returns its non-negative result, or {@code
 * -errno} on failure, the way the raw kernel interface does; it allocates nothing and keeps no
 * state between calls. Buffers handed to these functions must be native segments.
 */
public final class Libc {
  private Libc() {}

  /**
   * The size of the scratch buffer: room for a counter, one epoll_event, one itimerspec, or a
   * socket address ({@code struct sockaddr_storage}, 128 bytes) followed by its {@code socklen_t}.
   */
  private static final int SCRATCH_SIZE = 136;

  /** A scratch buffer per thread for the small structs one call passes. */
  private static final ThreadLocal<MemorySegment> SCRATCH =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCRATCH_SIZE, 8));

  /** The calling thread's scratch buffer (never hand it to another thread). */
  public static MemorySegment scratch() {
    return SCRATCH.get();
  }

  @CFunction("epoll_create1")
  public interface EpollCreate1 {
    int call(int flags);
  }

  @CFunction("epoll_ctl")
  public interface EpollCtl {
    int call(int epfd, int op, int fd, MemorySegment event);
  }

  @CFunction("epoll_wait")
  public interface EpollWait {
    int call(int epfd, MemorySegment events, int maxEvents, int timeoutMillis);
  }

  @CFunction("eventfd")
  public interface EventFdCreate {
    int call(int initialValue, int flags);
  }

  @CFunction("timerfd_create")
  public interface TimerFdCreate {
    int call(int clock, int flags);
  }

  @CFunction("timerfd_settime")
  public interface TimerFdSetTime {
    int call(int fd, int flags, MemorySegment newValue, MemorySegment oldValue);
  }

  @CFunction("timerfd_gettime")
  public interface TimerFdGetTime {
    int call(int fd, MemorySegment currentValue);
  }

  @CFunction("signalfd")
  public interface SignalFdCreate {
    int call(int fd, MemorySegment mask, int flags);
  }

  /** Returns the error number itself rather than setting errno. */
  @CFunction(value = "pthread_sigmask", setsErrno = false)
  public interface PthreadSigmask {
    int call(int how, MemorySegment set, MemorySegment oldSet);
  }

  @CFunction("kill")
  public interface Kill {
    int call(int pid, int signal);
  }

  public static final Kill KILL = Downcall.bind(Kill.class);

  @CFunction("tgkill")
  public interface Tgkill {
    int call(int pid, int tid, int signal);
  }

  @CFunction(value = "gettid", setsErrno = false)
  public interface Gettid {
    int call();
  }

  @CFunction(value = "getpid", setsErrno = false)
  public interface Getpid {
    int call();
  }

  @CFunction("inotify_init1")
  public interface InotifyInit1 {
    int call(int flags);
  }

  @CFunction("inotify_add_watch")
  public interface InotifyAddWatch {
    int call(int fd, MemorySegment path, int mask);
  }

  @CFunction("inotify_rm_watch")
  public interface InotifyRmWatch {
    int call(int fd, int watch);
  }

  @CFunction("pipe2")
  public interface Pipe2 {
    int call(MemorySegment fds, int flags);
  }

  @CFunction("socketpair")
  public interface SocketPairCreate {
    int call(int domain, int type, int protocol, MemorySegment fds);
  }

  @CFunction("socket")
  public interface SocketCreate {
    int call(int domain, int type, int protocol);
  }

  @CFunction("bind")
  public interface Bind {
    int call(int fd, MemorySegment address, int addressLength);
  }

  @CFunction("listen")
  public interface Listen {
    int call(int fd, int backlog);
  }

  @CFunction("accept4")
  public interface Accept4 {
    int call(int fd, MemorySegment address, MemorySegment addressLength, int flags);
  }

  @CFunction("connect")
  public interface Connect {
    int call(int fd, MemorySegment address, int addressLength);
  }

  @CFunction("getsockname")
  public interface GetSockName {
    int call(int fd, MemorySegment address, MemorySegment addressLength);
  }

  @CFunction("getpeername")
  public interface GetPeerName {
    int call(int fd, MemorySegment address, MemorySegment addressLength);
  }

  @CFunction("setsockopt")
  public interface SetSockOpt {
    int call(int fd, int level, int option, MemorySegment value, int valueLength);
  }

  @CFunction("getsockopt")
  public interface GetSockOpt {
    int call(int fd, int level, int option, MemorySegment value, MemorySegment valueLength);
  }

  @CFunction("shutdown")
  public interface Shutdown {
    int call(int fd, int how);
  }

  @CFunction("send")
  public interface Send {
    long call(int fd, MemorySegment buffer, long length, int flags);
  }

  @CFunction("recv")
  public interface Recv {
    long call(int fd, MemorySegment buffer, long length, int flags);
  }

  @CFunction("sendto")
  public interface SendTo {
    long call(
        int fd,
        MemorySegment buffer,
        long length,
        int flags,
        MemorySegment address,
        int addressLength);
  }

  @CFunction("recvfrom")
  public interface RecvFrom {
    long call(
        int fd,
        MemorySegment buffer,
        long length,
        int flags,
        MemorySegment address,
        MemorySegment addressLength);
  }

  /** Returns 1 on success, 0 for text that is not an address of the family. */
  @CFunction(value = "inet_pton", setsErrno = false)
  public interface InetPton {
    int call(int family, MemorySegment text, MemorySegment address);
  }

  /** Returns {@code text}, or NULL if it is too small. */
  @CFunction(value = "inet_ntop", setsErrno = false)
  public interface InetNtop {
    MemorySegment call(int family, MemorySegment address, MemorySegment text, int textLength);
  }

  /** Returns the interface's index, or 0 if there is no such interface. */
  @CFunction(value = "if_nametoindex", setsErrno = false)
  public interface IfNameToIndex {
    int call(MemorySegment name);
  }

  @CFunction("close")
  public interface Close {
    int call(int fd);
  }

  @CFunction("read")
  public interface Read {
    long call(int fd, MemorySegment buffer, long count);
  }

  @CFunction("write")
  public interface Write {
    long call(int fd, MemorySegment buffer, long count);
  }

  /** {@code fcntl(fd, cmd)}: the commands without an argument. */
  @CFunction("fcntl")
  public interface FcntlGet {
    int call(int fd, int cmd);
  }

  /** {@code fcntl(fd, cmd, arg)}: the argument is variadic in C. */
  @CFunction(value = "fcntl", firstVariadic = 2)
  public interface FcntlSet {
    int call(int fd, int cmd, int arg);
  }

  @CFunction("flock")
  public interface Flock {
    int call(int fd, int operation);
  }

  /** Returns {@code MAP_FAILED} ({@code (void *) -1}) on failure: read {@link Downcall#errno()}. */
  @CFunction("mmap")
  public interface Mmap {
    MemorySegment call(
        MemorySegment address, long length, int prot, int flags, int fd, long offset);
  }

  @CFunction("munmap")
  public interface Munmap {
    int call(MemorySegment address, long length);
  }

  /** {@code open(path, flags, mode)}: the mode is variadic in C. */
  @CFunction(value = "open", firstVariadic = 2)
  public interface Open {
    int call(MemorySegment path, int flags, int mode);
  }

  @CFunction("fallocate")
  public interface Fallocate {
    int call(int fd, int mode, long offset, long length);
  }

  @CFunction("ftruncate")
  public interface Ftruncate {
    int call(int fd, long length);
  }

  @CFunction("fstat")
  public interface Fstat {
    int call(int fd, MemorySegment stat);
  }

  @CFunction("renameat2")
  public interface Renameat2 {
    int call(int oldDir, MemorySegment oldPath, int newDir, MemorySegment newPath, int flags);
  }

  @CFunction("unlink")
  public interface Unlink {
    int call(MemorySegment path);
  }

  /** glibc's English description of an errno ("Bad file descriptor"), or NULL if unknown. */
  @CFunction(value = "strerrordesc_np", setsErrno = false)
  public interface StrerrorDesc {
    MemorySegment call(int errno);
  }

  /** glibc's symbolic name of an errno ("EBADF"), or NULL if unknown. */
  @CFunction(value = "strerrorname_np", setsErrno = false)
  public interface StrerrorName {
    MemorySegment call(int errno);
  }

  @CFunction("mkfifo")
  public interface Mkfifo {
    int call(MemorySegment path, int mode);
  }

  @CFunction("waitid")
  public interface Waitid {
    int call(int idType, int id, MemorySegment info, int options);
  }

  /** The posix_spawn family returns the error number itself rather than setting errno. */
  @CFunction(value = "posix_spawnp", setsErrno = false)
  public interface PosixSpawnp {
    int call(
        MemorySegment pid,
        MemorySegment file,
        MemorySegment fileActions,
        MemorySegment attributes,
        MemorySegment argv,
        MemorySegment envp);
  }

  @CFunction(value = "posix_spawn_file_actions_init", setsErrno = false)
  public interface SpawnFileActionsInit {
    int call(MemorySegment fileActions);
  }

  @CFunction(value = "posix_spawn_file_actions_adddup2", setsErrno = false)
  public interface SpawnFileActionsAddDup2 {
    int call(MemorySegment fileActions, int fd, int newFd);
  }

  @CFunction(value = "posix_spawn_file_actions_destroy", setsErrno = false)
  public interface SpawnFileActionsDestroy {
    int call(MemorySegment fileActions);
  }

  @CFunction(value = "posix_spawnattr_init", setsErrno = false)
  public interface SpawnAttrInit {
    int call(MemorySegment attributes);
  }

  @CFunction(value = "posix_spawnattr_setsigmask", setsErrno = false)
  public interface SpawnAttrSetSigmask {
    int call(MemorySegment attributes, MemorySegment mask);
  }

  @CFunction(value = "posix_spawnattr_setflags", setsErrno = false)
  public interface SpawnAttrSetFlags {
    int call(MemorySegment attributes, short flags);
  }

  @CFunction(value = "posix_spawnattr_destroy", setsErrno = false)
  public interface SpawnAttrDestroy {
    int call(MemorySegment attributes);
  }

  public static final EpollCreate1 EPOLL_CREATE1 = Downcall.bind(EpollCreate1.class);
  public static final EpollCtl EPOLL_CTL = Downcall.bind(EpollCtl.class);
  public static final EpollWait EPOLL_WAIT = Downcall.bind(EpollWait.class);
  public static final EventFdCreate EVENTFD = Downcall.bind(EventFdCreate.class);
  public static final TimerFdCreate TIMERFD_CREATE = Downcall.bind(TimerFdCreate.class);
  public static final TimerFdSetTime TIMERFD_SETTIME = Downcall.bind(TimerFdSetTime.class);
  public static final TimerFdGetTime TIMERFD_GETTIME = Downcall.bind(TimerFdGetTime.class);
  public static final SignalFdCreate SIGNALFD = Downcall.bind(SignalFdCreate.class);
  public static final PthreadSigmask PTHREAD_SIGMASK = Downcall.bind(PthreadSigmask.class);
  public static final Tgkill TGKILL = Downcall.bind(Tgkill.class);
  public static final Gettid GETTID = Downcall.bind(Gettid.class);
  public static final Getpid GETPID = Downcall.bind(Getpid.class);
  public static final InotifyInit1 INOTIFY_INIT1 = Downcall.bind(InotifyInit1.class);
  public static final InotifyAddWatch INOTIFY_ADD_WATCH = Downcall.bind(InotifyAddWatch.class);
  public static final InotifyRmWatch INOTIFY_RM_WATCH = Downcall.bind(InotifyRmWatch.class);
  public static final Pipe2 PIPE2 = Downcall.bind(Pipe2.class);
  public static final SocketPairCreate SOCKETPAIR = Downcall.bind(SocketPairCreate.class);
  public static final SocketCreate SOCKET = Downcall.bind(SocketCreate.class);
  public static final Bind BIND = Downcall.bind(Bind.class);
  public static final Listen LISTEN = Downcall.bind(Listen.class);
  public static final Accept4 ACCEPT4 = Downcall.bind(Accept4.class);
  public static final Connect CONNECT = Downcall.bind(Connect.class);
  public static final GetSockName GETSOCKNAME = Downcall.bind(GetSockName.class);
  public static final GetPeerName GETPEERNAME = Downcall.bind(GetPeerName.class);
  public static final SetSockOpt SETSOCKOPT = Downcall.bind(SetSockOpt.class);
  public static final GetSockOpt GETSOCKOPT = Downcall.bind(GetSockOpt.class);
  public static final Shutdown SHUTDOWN = Downcall.bind(Shutdown.class);
  public static final Send SEND = Downcall.bind(Send.class);
  public static final Recv RECV = Downcall.bind(Recv.class);
  public static final SendTo SENDTO = Downcall.bind(SendTo.class);
  public static final RecvFrom RECVFROM = Downcall.bind(RecvFrom.class);
  public static final InetPton INET_PTON = Downcall.bind(InetPton.class);
  public static final InetNtop INET_NTOP = Downcall.bind(InetNtop.class);
  public static final IfNameToIndex IF_NAMETOINDEX = Downcall.bind(IfNameToIndex.class);
  public static final Close CLOSE = Downcall.bind(Close.class);
  public static final Read READ = Downcall.bind(Read.class);
  public static final Write WRITE = Downcall.bind(Write.class);
  public static final FcntlGet FCNTL_GET = Downcall.bind(FcntlGet.class);
  public static final FcntlSet FCNTL_SET = Downcall.bind(FcntlSet.class);
  public static final Flock FLOCK = Downcall.bind(Flock.class);
  public static final Mmap MMAP = Downcall.bind(Mmap.class);
  public static final Munmap MUNMAP = Downcall.bind(Munmap.class);
  public static final Open OPEN = Downcall.bind(Open.class);
  public static final Fallocate FALLOCATE = Downcall.bind(Fallocate.class);
  public static final Ftruncate FTRUNCATE = Downcall.bind(Ftruncate.class);
  public static final Fstat FSTAT = Downcall.bind(Fstat.class);
  public static final Renameat2 RENAMEAT2 = Downcall.bind(Renameat2.class);
  public static final Unlink UNLINK = Downcall.bind(Unlink.class);
  public static final StrerrorDesc STRERRORDESC_NP = Downcall.bind(StrerrorDesc.class);
  public static final StrerrorName STRERRORNAME_NP = Downcall.bind(StrerrorName.class);

  public static final Mkfifo MKFIFO = Downcall.bind(Mkfifo.class);
  public static final Waitid WAITID = Downcall.bind(Waitid.class);
  public static final PosixSpawnp POSIX_SPAWNP = Downcall.bind(PosixSpawnp.class);
  public static final SpawnFileActionsInit SPAWN_FILE_ACTIONS_INIT =
      Downcall.bind(SpawnFileActionsInit.class);
  public static final SpawnFileActionsAddDup2 SPAWN_FILE_ACTIONS_ADDDUP2 =
      Downcall.bind(SpawnFileActionsAddDup2.class);
  public static final SpawnFileActionsDestroy SPAWN_FILE_ACTIONS_DESTROY =
      Downcall.bind(SpawnFileActionsDestroy.class);
  public static final SpawnAttrInit SPAWNATTR_INIT = Downcall.bind(SpawnAttrInit.class);
  public static final SpawnAttrSetSigmask SPAWNATTR_SETSIGMASK =
      Downcall.bind(SpawnAttrSetSigmask.class);
  public static final SpawnAttrSetFlags SPAWNATTR_SETFLAGS = Downcall.bind(SpawnAttrSetFlags.class);
  public static final SpawnAttrDestroy SPAWNATTR_DESTROY = Downcall.bind(SpawnAttrDestroy.class);

  /** Replaces the process image; returns only on failure. */
  @CFunction("execve")
  public interface Execve {
    int call(MemorySegment path, MemorySegment argv, MemorySegment envp);
  }

  public static final Execve EXECVE = Downcall.bind(Execve.class);

  /** Returns the mapped address, or {@code -errno} (MAP_FAILED is {@code (void*) -1}). */
  public static long mmap(long address, long length, int prot, int flags, int fd, long offset) {
    long at =
        MMAP.call(MemorySegment.ofAddress(address), length, prot, flags, fd, offset).address();
    return at == -1L ? -Downcall.errno() : at;
  }

  /** pthread_sigmask's error number, negated like every other call's. */
  public static int pthreadSigmask(int how, MemorySegment set, MemorySegment old) {
    return -PTHREAD_SIGMASK.call(how, set, old);
  }

  /** A C string returned by glibc (static storage), or null for NULL. */
  @SuppressWarnings("restricted") // glibc's messages are short, static, NUL-terminated strings
  public static String cString(MemorySegment p) {
    return p.address() == 0 ? null : p.reinterpret(256).getString(0);
  }
}
