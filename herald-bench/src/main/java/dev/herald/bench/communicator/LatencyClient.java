package dev.herald.bench.communicator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.HdrHistogram.Histogram;

/**
 * Scenario 1: one client, one request in flight; the time from writing {@code ALIVE} to having read
 * the whole {@code ABSOLUTELY} line, on a blocking {@link SocketChannel} with {@code TCP_NODELAY}.
 */
final class LatencyClient {
  private LatencyClient() {}

  /** Round trips after {@code warmUp} unrecorded ones; nanoseconds. */
  static Histogram run(int port, int warmUp, int roundTrips) throws IOException {
    Histogram latency = new Histogram(10_000_000_000L, 3);
    try (SocketChannel channel =
        SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer request = ByteBuffer.allocateDirect(AliveExchange.REQUEST.length);
      request.put(AliveExchange.REQUEST);
      ByteBuffer reply = ByteBuffer.allocateDirect(4096);
      for (int i = 0; i < warmUp + roundTrips; i++) {
        request.clear();
        long start = System.nanoTime();
        while (request.hasRemaining()) {
          channel.write(request);
        }
        int replies = 0;
        while (replies == 0) {
          reply.clear();
          if (channel.read(reply) < 0) {
            throw new IOException("the server closed the connection");
          }
          reply.flip();
          if (i == 0 && !AliveExchange.firstLine(reply).startsWith(AliveExchange.REPLY_COMMAND)) {
            throw new IllegalStateException(
                "unexpected reply \"" + AliveExchange.firstLine(reply) + "\"");
          }
          replies = AliveExchange.replies(reply);
        }
        long elapsed = System.nanoTime() - start;
        if (i >= warmUp) {
          latency.recordValue(elapsed);
        }
      }
    }
    return latency;
  }
}
