package dev.herald.reactor;

/**
 * What the manager knows of one registered fd: its owner, its registered set and data (for {@link
 * EventOps#interest}), and the last {@link Events} dispatched for it.
 *
 * <p>Reusing that last value when the kernel reports the same data and ready set again is what
 * keeps dispatch allocation-free in steady state while {@link Events} stays an immutable value.
 */
final class FdRegistration {
  final int fd;
  final Subscription<?> owner;
  int data;
  EventSet registered;
  private Events lastReady;

  FdRegistration(int fd, Subscription<?> owner, int data, EventSet registered) {
    this.fd = fd;
    this.owner = owner;
    this.data = data;
    this.registered = registered;
  }

  /** The value to dispatch for this data word and ready mask; allocates only when they change. */
  Events readyEvents(int readyData, int readyBits) {
    Events last = lastReady;
    if (last != null && last.data() == readyData && last.eventSet().bits() == readyBits) {
      return last;
    }
    last = new Events(fd, readyData, EventSet.fromBits(readyBits));
    lastReady = last;
    return last;
  }

  Events interest() {
    return new Events(fd, data, registered);
  }
}
