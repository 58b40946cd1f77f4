package dev.herald.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * The engine side of an external plugin: upstream's command loop on the plugin's REP socket.
 * Commands match by exact equality of the whole request; anything else is published unchanged.
 */
final class ExternalPluginLoop {
  static final byte[] NEXT_MSG = "plugin_command: next_msg".getBytes(StandardCharsets.US_ASCII);
  static final byte[] QUIT = "plugin_command: quit".getBytes(StandardCharsets.US_ASCII);
  static final byte[] PUBLISHED = "event-engine: msg published".getBytes(StandardCharsets.US_ASCII);

  private final ZMQ.Socket rep;
  private final Inbox inbox;
  private final Publisher publisher;

  ExternalPluginLoop(ZMQ.Socket rep, Inbox inbox, Publisher publisher) {
    this.rep = rep;
    this.inbox = inbox;
    this.publisher = publisher;
  }

  /** Serves commands until {@code quit}; a closed application ends it with an exception. */
  void run() {
    while (true) {
      List<byte[]> request = receiveRequest();
      if (request.contains(null)) {
        return; // the context is terminating
      }
      if (request.size() == 1 && Arrays.equals(request.getFirst(), NEXT_MSG)) {
        // One frame per next_msg: a multi-frame event takes one command per frame, as upstream.
        rep.send(inbox.take(), 0);
      } else if (request.size() == 1 && Arrays.equals(request.getFirst(), QUIT)) {
        return;
      } else {
        publisher.publishMultipart(request.toArray(byte[][]::new));
        rep.send(PUBLISHED, 0);
      }
    }
  }

  private List<byte[]> receiveRequest() {
    List<byte[]> frames = new ArrayList<>(1);
    frames.add(rep.recv(0));
    while (rep.hasReceiveMore()) {
      frames.add(rep.recv(0));
    }
    return frames;
  }
}
