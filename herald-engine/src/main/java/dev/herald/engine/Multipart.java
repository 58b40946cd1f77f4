package dev.herald.engine;

/**
 * A multi-frame event as it travels through the router; single-frame events travel as bare {@code
 * byte[]}. Filters match the first frame.
 */
record Multipart(byte[][] frames) {
  byte[] first() {
    return frames[0];
  }

  static byte[] firstFrame(Object message) {
    return message instanceof byte[] single ? single : ((Multipart) message).first();
  }
}
