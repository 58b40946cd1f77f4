package dev.herald.dispatcher;

import java.util.ArrayList;
import java.util.List;

/** A sender that keeps what it is given, as written on the wire, for tests to read. */
final class Outbox implements MessageSender {
  final List<String> sent = new ArrayList<>();
  final List<Boolean> cached = new ArrayList<>();

  @Override
  public boolean sendMessage(Message message, boolean cache) {
    sent.add(message.toMessage());
    cached.add(cache);
    return true;
  }

  String only() {
    if (sent.size() != 1) {
      throw new AssertionError("expected exactly one message, got " + sent);
    }
    return sent.getFirst();
  }
}
