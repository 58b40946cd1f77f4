package dev.herald.bench.communicator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Scenario 3: many idle connections. As many connections as will be measured are opened at once,
 * used once and closed first, so that the classes, the code the JIT compiles during an accept burst
 * and the allocator pools are in place before the server's baseline is taken (with a few hundred,
 * the JIT's own memory grew by tens of MB during the measured burst and was counted as
 * per-connection RSS); then {@code count} blocking clients connect one after the other, each does
 * one {@code ALIVE} round trip (so every connection has read and written once, as a real idle peer
 * has), and the server's memory is taken again.
 */
final class IdleConnections {
  private IdleConnections() {}

  /**
   * What was measured.
   *
   * @param acceptMillis from the first connect to the server having accepted and set up the last
   * @param heapBytesPerConnection heap after GC, minus the baseline, per connection
   * @param rssBytesPerConnection resident set, minus the baseline, per connection
   */
  record Result(double acceptMillis, double heapBytesPerConnection, double rssBytesPerConnection) {}

  static Result run(ServerUnderTest server, int count) throws IOException, InterruptedException {
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    ByteBuffer request = ByteBuffer.allocateDirect(AliveExchange.REQUEST.length);
    ByteBuffer reply = ByteBuffer.allocateDirect(4096);
    SocketChannel[] warmUp = new SocketChannel[count];
    for (int i = 0; i < warmUp.length; i++) {
      warmUp[i] = SocketChannel.open(address);
      roundTrip(warmUp[i], request, reply);
    }
    for (SocketChannel channel : warmUp) {
      channel.close();
    }
    Thread.sleep(2_000); // the server sees the hang-ups and forgets the connections
    String[] base = server.command("memory");
    server.command("expect " + count);
    SocketChannel[] channels = new SocketChannel[count];
    try {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        channels[i] = SocketChannel.open(address);
      }
      long acceptedAt = awaitAccepted(server, count);
      for (SocketChannel channel : channels) {
        roundTrip(channel, request, reply);
      }
      String[] after = server.command("memory");
      return new Result(
          (acceptedAt - start) / 1e6,
          (Long.parseLong(after[0]) - Long.parseLong(base[0])) / (double) count,
          (Long.parseLong(after[1]) - Long.parseLong(base[1])) * 1024.0 / count);
    } finally {
      for (SocketChannel channel : channels) {
        if (channel != null) {
          channel.close();
        }
      }
    }
  }

  private static long awaitAccepted(ServerUnderTest server, int count)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      String[] accepted = server.command("accepted");
      if (Integer.parseInt(accepted[0]) >= count) {
        return Long.parseLong(accepted[1]);
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("the server did not accept " + count + " clients in 120 s");
  }

  private static void roundTrip(SocketChannel channel, ByteBuffer request, ByteBuffer reply)
      throws IOException {
    request.clear();
    request.put(AliveExchange.REQUEST).flip();
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
      replies = AliveExchange.replies(reply);
    }
  }
}
