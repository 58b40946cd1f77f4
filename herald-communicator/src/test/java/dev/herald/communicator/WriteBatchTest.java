package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.os.Fd;
import dev.herald.os.SocketPair;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replies written while one read's lines are delivered leave together, in order, over a socket. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WriteBatchTest {
  private static final byte[] NEWLINE = {'\n'};

  private final Loop loop = new Loop();
  private final List<Peer> peers = new ArrayList<>();
  private final AtomicInteger writes = new AtomicInteger();

  @AfterEach
  void close() {
    try {
      loop.close();
    } finally {
      peers.forEach(Peer::close);
    }
  }

  /** A socket pair whose second end counts the write system calls made on it. */
  private Transport countingTransport(Peer[] peer) {
    SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, 0);
    peer[0] = new Peer(pair.first());
    peers.add(peer[0]);
    Transport plain = Transport.of(pair.second());
    return new Transport() {
      @Override
      public Fd fd() {
        return plain.fd();
      }

      @Override
      public long read(MemorySegment buffer) {
        return plain.read(buffer);
      }

      @Override
      public long write(MemorySegment buffer) {
        writes.incrementAndGet();
        return plain.write(buffer);
      }

      @Override
      public void close() {
        plain.close();
      }
    };
  }

  @Test
  void theRepliesToTheLinesOfOneReadLeaveInOneWrite() {
    loop.start();
    Peer[] peer = new Peer[1];
    Transport transport = countingTransport(peer);
    // Written before the connection exists, so that its first read takes all three lines.
    peer[0].write("one\ntwo\nthree\n");
    loop.run(
        () ->
            StreamConnection.open(
                loop.communicator,
                "batch",
                transport,
                Framing.lines(),
                (stream, data, offset, length) -> {
                  stream.write(data, offset, length);
                  stream.write(NEWLINE, 0, 1);
                }));

    assertEquals("one", peer[0].readLine());
    assertEquals("two", peer[0].readLine());
    assertEquals("three", peer[0].readLine());
    assertEquals(1, writes.get(), "six writes of three replies, one system call");
  }

  @Test
  void whatIsWrittenBeforeCloseStillLeaves() {
    loop.start();
    Peer[] peer = new Peer[1];
    Transport transport = countingTransport(peer);
    loop.run(
        () ->
            StreamConnection.open(
                loop.communicator,
                "bye",
                transport,
                Framing.lines(),
                (stream, data, offset, length) -> {
                  stream.write("bye\n".getBytes(StandardCharsets.UTF_8), 0, 4);
                  stream.close();
                }));

    peer[0].write("QUIT\nignored\n");

    assertEquals("bye", peer[0].readLine());
    assertEquals(0, peer[0].readToEnd().length);
  }

  @Test
  void aReplyLargerThanTheBatchFollowsWhatTheBatchHolds() {
    loop.start();
    Peer[] peer = new Peer[1];
    Transport transport = countingTransport(peer);
    byte[] large = new byte[WriteBatch.SIZE + 100];
    Arrays.fill(large, (byte) 'x');
    peer[0].write("s\nlarge\n");
    loop.run(
        () ->
            StreamConnection.open(
                loop.communicator,
                "large",
                transport,
                Framing.lines(),
                (stream, data, offset, length) -> {
                  if (length == "large".length()) {
                    stream.write(large, 0, large.length);
                  } else {
                    stream.write(data, offset, length);
                  }
                  stream.write(NEWLINE, 0, 1);
                }));

    assertEquals("s", peer[0].readLine());
    assertEquals(new String(large, StandardCharsets.UTF_8), peer[0].readLine());
  }
}
