/**
 * Linux system calls through the Foreign Function and Memory API: the only package in Herald that
 * calls native code.
 *
 * <p>Every type here owns the file descriptor it creates and closes it ({@link
 * java.lang.AutoCloseable}); every one of them exposes the raw number through {@link
 * dev.herald.os.Fd}, so it can be registered with an event loop. Every call checks its return value
 * and reports failures as {@link dev.herald.os.OsException} carrying the errno. Sockets ({@link
 * dev.herald.os.Socket}, addressed by {@link dev.herald.os.SocketAddress}) cover TCP, UDP and Unix
 * streams and datagrams for non-blocking event loops. Child processes that the JVM does not reap
 * are started and reaped by pid with {@link dev.herald.os.ChildProcess}.
 *
 * <pre>{@code
 * try (EventFd efd = EventFd.create(EventFd.NONBLOCK);
 *     Epoll epoll = Epoll.create();
 *     EpollEvents ready = EpollEvents.allocate(16)) {
 *   epoll.add(efd.fd(), Epoll.IN, 42);
 *   efd.signal(1);
 *   int n = epoll.await(ready, -1); // 1: ready.data(0) == 42
 * }
 * }</pre>
 *
 * <p>Programs that use this package must run with {@code --enable-native-access=ALL-UNNAMED} (or
 * the {@code Enable-Native-Access} manifest attribute of an executable JAR).
 */
package dev.herald.os;
