package dev.herald.bench.communicator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Scenario 2: many clients, each keeping {@code depth} requests in flight: for every reply read it
 * sends one more request. All clients run on one thread over a {@link Selector} (the machine has
 * two cores: the server gets the other), so the client's cost is the same for both servers.
 */
final class PipelinedClients {
  private PipelinedClients() {}

  /** Replies per second over {@code measureNanos}, after {@code warmUpNanos}. */
  static double run(int port, int clients, int depth, long warmUpNanos, long measureNanos)
      throws IOException {
    byte[] batch = new byte[AliveExchange.REQUEST.length * depth];
    for (int i = 0; i < depth; i++) {
      System.arraycopy(
          AliveExchange.REQUEST,
          0,
          batch,
          i * AliveExchange.REQUEST.length,
          AliveExchange.REQUEST.length);
    }
    ByteBuffer requests = ByteBuffer.allocateDirect(batch.length);
    requests.put(batch);
    ByteBuffer replies = ByteBuffer.allocateDirect(64 * 1024);
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    SocketChannel[] channels = new SocketChannel[clients];
    try (Selector selector = Selector.open()) {
      for (int c = 0; c < clients; c++) {
        channels[c] = SocketChannel.open(server);
        channels[c].setOption(StandardSocketOptions.TCP_NODELAY, true);
        channels[c].configureBlocking(false);
        channels[c].register(selector, SelectionKey.OP_READ);
      }
      for (SocketChannel channel : channels) {
        send(channel, requests, depth);
      }
      long start = System.nanoTime();
      long measureFrom = start + warmUpNanos;
      long end = measureFrom + measureNanos;
      long counted = 0;
      boolean measuring = false;
      long measureStart = 0;
      while (true) {
        long now = System.nanoTime();
        if (!measuring && now >= measureFrom) {
          measuring = true;
          measureStart = now;
          counted = 0;
        }
        if (now >= end) {
          return counted * 1e9 / (now - measureStart);
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel channel = (SocketChannel) key.channel();
          replies.clear();
          if (channel.read(replies) < 0) {
            throw new IOException("the server closed a connection");
          }
          replies.flip();
          int n = AliveExchange.replies(replies);
          counted += n;
          send(channel, requests, n);
        }
        selector.selectedKeys().clear();
      }
    } finally {
      for (SocketChannel channel : channels) {
        if (channel != null) {
          channel.close();
        }
      }
    }
  }

  /**
   * Writes {@code count} requests; at most {@code depth} are in flight, so the socket takes them.
   */
  private static void send(SocketChannel channel, ByteBuffer requests, int count)
      throws IOException {
    if (count == 0) {
      return;
    }
    requests.limit(count * AliveExchange.REQUEST.length).position(0);
    while (requests.hasRemaining()) {
      channel.write(requests);
    }
  }
}
