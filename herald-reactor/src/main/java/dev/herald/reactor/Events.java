package dev.herald.reactor;

import dev.herald.os.Fd;
import java.util.Objects;

/**
 * One fd with its 32 bits of user data and an event set: what a subscriber registers through {@link
 * EventOps}, and what {@link EventSubscriber#process} receives (with the ready set).
 *
 * <p>{@code data} is an unsigned 32-bit value stored in an {@code int}: every value from 0 to
 * {@code 0xFFFFFFFF} round-trips ({@link Integer#toUnsignedLong} reads it back as a number). In the
 * kernel's 64-bit epoll data word it is the high half and the fd the low half: {@code (data << 32)
 * | (fd & 0xFFFFFFFF)}. Unlike upstream, a negative fd does not corrupt the data.
 *
 * <pre>{@code
 * ops.add(Events.of(socket, EventSet.IN));                        // data 0
 * ops.add(Events.withData(timer, 7, EventSet.IN));                // data 7, returned with each event
 * ops.remove(Events.empty(socket));                               // the set is ignored by remove
 * }</pre>
 *
 * @param fd the file descriptor number
 * @param data the user data (unsigned 32 bits)
 * @param eventSet the flags registered, or, in {@code process}, the flags that are ready
 */
public record Events(int fd, int data, EventSet eventSet) {
  /**
   * Checks the set is present.
   *
   * @param fd the file descriptor number
   * @param data the user data
   * @param eventSet the flags
   */
  public Events {
    Objects.requireNonNull(eventSet, "eventSet");
  }

  /**
   * An fd with no flags and data 0 (what {@link EventOps#remove} needs).
   *
   * @param fd the descriptor
   * @return the events
   */
  public static Events empty(Fd fd) {
    return new Events(fd.fd(), 0, EventSet.empty());
  }

  /**
   * A raw fd number with no flags and data 0.
   *
   * @param fd the descriptor number
   * @return the events
   */
  public static Events empty(int fd) {
    return new Events(fd, 0, EventSet.empty());
  }

  /**
   * An fd with flags and data 0.
   *
   * @param fd the descriptor
   * @param eventSet the flags
   * @return the events
   */
  public static Events of(Fd fd, EventSet eventSet) {
    return new Events(fd.fd(), 0, eventSet);
  }

  /**
   * A raw fd number with flags and data 0.
   *
   * @param fd the descriptor number
   * @param eventSet the flags
   * @return the events
   */
  public static Events of(int fd, EventSet eventSet) {
    return new Events(fd, 0, eventSet);
  }

  /**
   * An fd with flags and user data.
   *
   * @param fd the descriptor
   * @param data the user data, any of the 2<sup>32</sup> values
   * @param eventSet the flags
   * @return the events
   */
  public static Events withData(Fd fd, int data, EventSet eventSet) {
    return new Events(fd.fd(), data, eventSet);
  }

  /**
   * A raw fd number with flags and user data.
   *
   * @param fd the descriptor number
   * @param data the user data, any of the 2<sup>32</sup> values
   * @param eventSet the flags
   * @return the events
   */
  public static Events withData(int fd, int data, EventSet eventSet) {
    return new Events(fd, data, eventSet);
  }

  /**
   * The 64-bit epoll data word: data in the high half, fd in the low half.
   *
   * @return {@code (data << 32) | (fd & 0xFFFFFFFF)}
   */
  public long epollData() {
    return ((long) data << 32) | (fd & 0xFFFF_FFFFL);
  }

  @Override
  public String toString() {
    return "Events[fd=" + fd + ", data=" + Integer.toUnsignedString(data) + ", " + eventSet + "]";
  }
}
