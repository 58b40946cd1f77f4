/**
 * The eventdispatcher communicator, after m2osw {@code eventdispatcher}: one event loop of
 * prioritised connections, and the stream connections that carry its messages.
 *
 * <p>The story in the order of the files: a {@link dev.herald.communicator.Communicator} is the
 * loop, an ordinary object (upstream's is a process-wide singleton), over one herald-reactor {@code
 * EventManager} and one {@code timerfd}; it owns {@link dev.herald.communicator.Connection}s, each
 * with a name, a priority, an enabled flag, a done flag, a timeout and optionally an fd; a
 * connection's {@link dev.herald.communicator.ConnectionHandler} is called, round by round and in
 * priority order, for what its fd reported and when its timeout is due; failures are {@link
 * dev.herald.communicator.CommunicatorException}s with upstream's kinds and texts.
 *
 * <p>Streams are composed, not inherited (upstream has a class ladder per kind of socket): a {@link
 * dev.herald.communicator.StreamConnection} joins a {@link dev.herald.communicator.Transport} (the
 * fd its bytes go through), a {@link dev.herald.communicator.Framing} (raw bytes or lines) and a
 * {@link dev.herald.communicator.StreamHandler}, with one code path for reading, writing,
 * back-pressure and closing; a {@link dev.herald.communicator.MessageConnection} is a stream of
 * lines that carries herald-dispatcher messages to a {@code Dispatcher} and sends them from any
 * thread. Sockets come in through a {@link dev.herald.communicator.StreamListener} (TCP over IPv4
 * or IPv6, Unix paths and abstract names) and go out through a {@link
 * dev.herald.communicator.ConnectAttempt}, a non-blocking connect that never holds the loop. TLS is
 * a {@link dev.herald.communicator.TlsTransport} layered over any stream transport, made by {@link
 * dev.herald.communicator.TlsSettings} from PEM files.
 *
 * <p>Other kinds reuse the same parts: a {@link dev.herald.communicator.ChildPipe} is a transport
 * to a child process, a {@link dev.herald.communicator.SignalConnection} a signalfd (with {@link
 * dev.herald.communicator.ChildExits} for SIGCHLD), a {@link dev.herald.communicator.MessageQueue}
 * carries objects between threads and a loop (and {@link dev.herald.communicator.ThreadDone} says a
 * worker finished), and a timer is a connection without fd.
 *
 * <p>Files: a {@link dev.herald.communicator.FileChangeConnection} watches files, links and
 * directories (recursively if asked) through one inotify fd and reports {@link
 * dev.herald.communicator.FileEvent}s with upstream's masks.
 *
 * <pre>{@code
 * try (Communicator communicator = new Communicator()) {
 *   Connection tick = Connection.timer("tick", 1_000_000, ConnectionHandler.onTimeout(c -> report()));
 *   communicator.add(tick);
 *   MessageConnection.open(communicator, "peer", Transport.of(pair.second()), dispatcher);
 *   communicator.run();                   // until no connection is left
 * }
 * }</pre>
 */
package dev.herald.communicator;
