package dev.herald.engine;

/** One subscriber of the router: its queue and its prefix filters. */
record Route(EventQueue queue, byte[][] filters) {
  boolean matches(byte[] firstFrame) {
    for (byte[] filter : filters) {
      if (EventType.startsWith(firstFrame, filter)) {
        return true;
      }
    }
    return false;
  }
}
