package dev.herald.reactor;

import dev.herald.os.internal.Epoll;

/**
 * An immutable set of epoll event flags, with the Linux bit values.
 *
 * <p>Every one of the 1,024 possible sets exists once, so {@link #fromBits(int)} (called for each
 * ready fd) and the set operations never allocate, and {@code ==} works like {@code equals}.
 *
 * <pre>{@code
 * EventSet wanted = EventSet.of(EventSet.IN, EventSet.READ_HANG_UP);
 * wanted.contains(EventSet.IN);  // true
 * wanted.toString();             // "IN | READ_HANG_UP"
 * wanted.bits();                 // 0x2001
 * }</pre>
 */
public final class EventSet {
  /** Bits of the ten flags, in the order of their index in the cache. */
  private static final int[] FLAG_BITS = {
    Epoll.IN,
    Epoll.PRIORITY,
    Epoll.OUT,
    Epoll.ERROR,
    Epoll.HANG_UP,
    Epoll.READ_HANG_UP,
    Epoll.EXCLUSIVE,
    Epoll.WAKE_UP,
    Epoll.ONE_SHOT,
    Epoll.EDGE_TRIGGERED
  };

  private static final String[] FLAG_NAMES = {
    "IN",
    "PRIORITY",
    "OUT",
    "ERROR",
    "HANG_UP",
    "READ_HANG_UP",
    "EXCLUSIVE",
    "WAKE_UP",
    "ONE_SHOT",
    "EDGE_TRIGGERED"
  };

  private static final int ALL_BITS = 0xF000_201F;

  /** Every set, indexed by {@link #index(int)}. */
  private static final EventSet[] SETS = new EventSet[1 << FLAG_BITS.length];

  static {
    for (int index = 0; index < SETS.length; index++) {
      int bits = 0;
      for (int flag = 0; flag < FLAG_BITS.length; flag++) {
        if ((index & (1 << flag)) != 0) {
          bits |= FLAG_BITS[flag];
        }
      }
      SETS[index] = new EventSet(bits);
    }
  }

  /** The fd is readable (EPOLLIN). */
  public static final EventSet IN = fromBits(Epoll.IN);

  /** Exceptional condition, e.g. out-of-band data (EPOLLPRI). */
  public static final EventSet PRIORITY = fromBits(Epoll.PRIORITY);

  /** The fd is writable (EPOLLOUT). */
  public static final EventSet OUT = fromBits(Epoll.OUT);

  /** Error condition; always reported (EPOLLERR). */
  public static final EventSet ERROR = fromBits(Epoll.ERROR);

  /** Hang-up; always reported (EPOLLHUP). */
  public static final EventSet HANG_UP = fromBits(Epoll.HANG_UP);

  /** The peer shut down writing; reported only if requested (EPOLLRDHUP). */
  public static final EventSet READ_HANG_UP = fromBits(Epoll.READ_HANG_UP);

  /** Exclusive wake-up among several epoll instances (EPOLLEXCLUSIVE). */
  public static final EventSet EXCLUSIVE = fromBits(Epoll.EXCLUSIVE);

  /** Keep the system awake while the event is pending (EPOLLWAKEUP). */
  public static final EventSet WAKE_UP = fromBits(Epoll.WAKE_UP);

  /** Report once, then disable until modified (EPOLLONESHOT). */
  public static final EventSet ONE_SHOT = fromBits(Epoll.ONE_SHOT);

  /** Edge-triggered instead of level-triggered (EPOLLET). */
  public static final EventSet EDGE_TRIGGERED = fromBits(Epoll.EDGE_TRIGGERED);

  private final int bits;

  private EventSet(int bits) {
    this.bits = bits;
  }

  /** Maps the ten flag bits onto 0..1023: bits 0-4 stay, bit 13 goes to 5, bits 28-31 to 6-9. */
  private static int index(int bits) {
    return (bits & 0x1F) | ((bits >>> 8) & 0x20) | ((bits >>> 22) & 0x3C0);
  }

  /**
   * The set with exactly these bits.
   *
   * @param bits epoll event bits
   * @return the set (never a new object)
   * @throws IllegalArgumentException if a bit is not one of the ten flags
   */
  public static EventSet fromBits(int bits) {
    if ((bits & ~ALL_BITS) != 0) {
      throw new IllegalArgumentException(
          "unknown epoll event bits: 0x" + Integer.toHexString(bits & ~ALL_BITS));
    }
    return SETS[index(bits)];
  }

  /**
   * The union of the given sets.
   *
   * @param sets the sets to combine
   * @return the union; {@link #empty()} for no argument
   */
  public static EventSet of(EventSet... sets) {
    int bits = 0;
    for (EventSet set : sets) {
      bits |= set.bits;
    }
    return SETS[index(bits)];
  }

  /**
   * The set with no flag.
   *
   * @return the empty set
   */
  public static EventSet empty() {
    return SETS[0];
  }

  /**
   * The set with all ten flags ({@code 0xF000201F}).
   *
   * @return the full set
   */
  public static EventSet all() {
    return SETS[SETS.length - 1];
  }

  /**
   * The Linux epoll bits.
   *
   * @return the bits
   */
  public int bits() {
    return bits;
  }

  /**
   * Whether this set has no flag.
   *
   * @return true if empty
   */
  public boolean isEmpty() {
    return bits == 0;
  }

  /**
   * Whether every flag of {@code other} is in this set.
   *
   * @param other the flags to look for
   * @return true if all are present (always true for the empty set)
   */
  public boolean contains(EventSet other) {
    return (bits & other.bits) == other.bits;
  }

  /**
   * Whether this set and {@code other} share a flag.
   *
   * @param other the flags to look for
   * @return true if at least one is present
   */
  public boolean intersects(EventSet other) {
    return (bits & other.bits) != 0;
  }

  /**
   * This set plus the flags of {@code other}.
   *
   * @param other the flags to add
   * @return the union
   */
  public EventSet union(EventSet other) {
    return SETS[index(bits | other.bits)];
  }

  /**
   * This set without the flags of {@code other}.
   *
   * @param other the flags to remove
   * @return the difference
   */
  public EventSet minus(EventSet other) {
    return SETS[index(bits & ~other.bits)];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventSet other && other.bits == bits;
  }

  @Override
  public int hashCode() {
    return bits;
  }

  /** Flag names joined by {@code " | "}, e.g. {@code IN | HANG_UP}; {@code (empty)} for none. */
  @Override
  public String toString() {
    if (bits == 0) {
      return "(empty)";
    }
    StringBuilder out = new StringBuilder();
    for (int flag = 0; flag < FLAG_BITS.length; flag++) {
      if ((bits & FLAG_BITS[flag]) != 0) {
        if (!out.isEmpty()) {
          out.append(" | ");
        }
        out.append(FLAG_NAMES[flag]);
      }
    }
    return out.toString();
  }
}
