package dev.herald.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivers each published message to every queue with a matching prefix filter, once per queue, in
 * the publisher's order. Routes are an immutable snapshot replaced on change (copy on write), so
 * publishing takes no lock.
 */
final class Router {
  private volatile Route[] routes = new Route[0];

  /** Delivers a message ({@code byte[]} or {@link Multipart}) from any thread. */
  void publish(Object message) {
    byte[] first = Multipart.firstFrame(message);
    for (Route route : routes) {
      if (route.matches(first)) {
        route.queue().put(message);
      }
    }
  }

  /** Sets the filters of {@code queue}; no filters removes its route. */
  synchronized void setFilters(EventQueue queue, byte[][] filters) {
    List<Route> next = new ArrayList<>(routes.length + 1);
    for (Route route : routes) {
      if (route.queue() != queue) {
        next.add(route);
      }
    }
    if (filters.length > 0) {
      next.add(new Route(queue, filters));
    }
    routes = next.toArray(Route[]::new);
  }

  void remove(EventQueue queue) {
    setFilters(queue, new byte[0][]);
  }
}
