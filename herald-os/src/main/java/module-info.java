/**
 * Linux system calls through the FFM API: the descriptor types a Herald user handles ({@link
 * dev.herald.os.Fd}, eventfd, timerfd, signalfd, inotify, pipes, socket pairs) in {@code
 * dev.herald.os}; the system-call bindings, epoll and the file and mapping calls the ring needs in
 * {@code dev.herald.os.internal}, exported to Herald's own modules only.
 */
// The modules named in the qualified export are built after this one: javac cannot see them yet.
@SuppressWarnings("module")
module dev.herald.os {
  exports dev.herald.os;
  exports dev.herald.os.internal to
      dev.herald.reactor,
      dev.herald.ring,
      dev.herald.communicator;
}
