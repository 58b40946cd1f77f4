/**
 * An epoll event manager over raw file descriptors, after rust-vmm {@code event-manager}: {@link
 * dev.herald.reactor.EventManager}, subscribers, interest lists and the remote endpoint.
 */
module dev.herald.reactor {
  requires transitive dev.herald.os;

  exports dev.herald.reactor;
}
