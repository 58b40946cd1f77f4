/**
 * An epoll event manager over raw file descriptors, after rust-vmm {@code event-manager}.
 *
 * <p>The story in the order of the files: an {@link dev.herald.reactor.EventManager} owns one epoll
 * instance; {@link dev.herald.reactor.EventSubscriber}s register fds with an {@link
 * dev.herald.reactor.EventSet} and 32 bits of data ({@link dev.herald.reactor.Events}) through
 * their {@link dev.herald.reactor.EventOps}; each run calls the owner of every ready fd once; other
 * threads reach the loop through the {@link dev.herald.reactor.RemoteEndpoint}; {@link
 * dev.herald.reactor.SubscriberOps} is what the manager offers its owner and endpoint closures;
 * failures are {@link dev.herald.reactor.ReactorException}s with upstream's kinds.
 *
 * <pre>{@code
 * try (EventManager<EventSubscriber> manager = new EventManager<>()) {
 *   manager.addSubscriber(new Ticker()); // init() registers its timerfd
 *   while (true) {
 *     manager.run();                     // one epoll_wait, one callback per ready fd
 *   }
 * }
 * }</pre>
 */
package dev.herald.reactor;
