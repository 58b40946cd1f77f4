package dev.herald.engine;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * The engine's SUB on the publish port: every event a raw TCP publisher sends, single or
 * multi-frame, goes into the router.
 */
final class TcpInbound implements Runnable {
  private final ZMQ.Socket sub;
  private final Router router;

  TcpInbound(ZMQ.Socket sub, Router router) {
    this.sub = sub;
    this.router = router;
  }

  @Override
  public void run() {
    try {
      while (true) {
        byte[] first = sub.recv(0);
        if (first == null) {
          return; // the context is terminating
        }
        if (!sub.hasReceiveMore()) {
          router.publish(first);
          continue;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (sub.hasReceiveMore()) {
          frames.add(sub.recv(0));
        }
        router.publish(new Multipart(frames.toArray(byte[][]::new)));
      }
    } finally {
      sub.close();
    }
  }
}
