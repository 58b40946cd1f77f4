package dev.herald.reactor;

/**
 * The identity an {@link EventManager} gives a subscriber: 1 for the first, then 2, 3, ... and
 * never reused, even after removal. There is no default id: every id comes from {@link
 * SubscriberOps#addSubscriber}.
 *
 * <pre>{@code
 * SubscriberId id = manager.addSubscriber(new Ticker());
 * manager.removeSubscriber(id);
 * }</pre>
 *
 * @param value the id number, 1 or more
 */
public record SubscriberId(long value) {
  /**
   * Checks the value.
   *
   * @param value the id number
   */
  public SubscriberId {
    if (value < 1) {
      throw new IllegalArgumentException("subscriber ids start at 1: " + value);
    }
  }

  @Override
  public String toString() {
    return "SubscriberId(" + value + ")";
  }
}
