package dev.herald.reactor;

/**
 * What the manager knows of one registered fd: its owner, its registered set and data (for {@link
 * EventOps#interest}), and the last two {@link Events} dispatched for it.
 *
 * <p>Reusing those values when the kernel reports the same data and ready set again is what keeps
 * dispatch allocation-free in steady state while {@link Events} stays an immutable value. Two are
 * kept, not one, because a ready set commonly alternates between two values (a socket registered
 * for {@code IN | OUT} goes {@code OUT}, {@code IN | OUT}, {@code OUT}, ...); with one, each change
 * would allocate. A third distinct set in the rotation allocates again, as does a new data word.
 */
final class FdRegistration {
  final int fd;
  final Subscription<?> owner;
  int data;
  EventSet registered;
  private Events lastReady;
  private Events earlierReady;

  FdRegistration(int fd, Subscription<?> owner, int data, EventSet registered) {
    this.fd = fd;
    this.owner = owner;
    this.data = data;
    this.registered = registered;
  }

  /** The value to dispatch for this data word and ready mask; allocates only on a cache miss. */
  Events readyEvents(int readyData, int readyBits) {
    Events last = lastReady;
    if (matches(last, readyData, readyBits)) {
      return last;
    }
    Events earlier = earlierReady;
    if (matches(earlier, readyData, readyBits)) {
      return earlier;
    }
    Events fresh = new Events(fd, readyData, EventSet.fromBits(readyBits));
    earlierReady = last;
    lastReady = fresh;
    return fresh;
  }

  private static boolean matches(Events cached, int readyData, int readyBits) {
    return cached != null && cached.data() == readyData && cached.eventSet().bits() == readyBits;
  }

  Events interest() {
    return new Events(fd, data, registered);
  }
}
