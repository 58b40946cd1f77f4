package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.Pipe;
import dev.herald.os.SocketPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stream connections over real socket pairs and pipes, with the loop on its own thread. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamConnectionTest {
  private static final byte[] NEWLINE = {'\n'};

  private final Loop loop = new Loop();
  private final List<Peer> peers = new ArrayList<>();

  @AfterEach
  void close() {
    try {
      loop.close();
    } finally {
      peers.forEach(Peer::close);
    }
  }

  /** What a test stream saw: its lines (or reads) and how it ended. */
  static final class Seen implements StreamHandler {
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<CommunicatorException> closed = new CompletableFuture<>();
    boolean echo;

    @Override
    public void received(StreamConnection stream, byte[] data, int offset, int length) {
      received.add(new String(data, offset, length, StandardCharsets.UTF_8));
      if (echo) {
        stream.write(data, offset, length);
        stream.write(NEWLINE, 0, 1);
      }
    }

    @Override
    public void closed(StreamConnection stream, CommunicatorException failure) {
      closed.complete(failure == null ? NONE : failure);
    }

    /** How it ended: null for an orderly end. */
    CommunicatorException end() throws Exception {
      CommunicatorException failure = closed.get(10, TimeUnit.SECONDS);
      return failure == NONE ? null : failure;
    }

    private static final CommunicatorException NONE =
        new CommunicatorException(CommunicatorException.Kind.CLOSED, "none");
  }

  /** Opens a stream on one end of a new socket pair; returns the peer on the other end. */
  private Peer open(String name, Framing framing, Seen seen, int maximumPendingOutput) {
    SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, 0);
    Peer peer = new Peer(pair.first());
    peers.add(peer);
    loop.run(
        () -> {
          StreamConnection stream =
              StreamConnection.open(
                  loop.communicator, name, Transport.of(pair.second()), framing, seen);
          stream.setMaximumPendingOutput(maximumPendingOutput);
          streams.add(stream);
        });
    return peer;
  }

  private final List<StreamConnection> streams = Collections.synchronizedList(new ArrayList<>());

  private Peer open(String name, Framing framing, Seen seen) {
    return open(name, framing, seen, StreamConnection.DEFAULT_MAXIMUM_PENDING_OUTPUT);
  }

  @Test
  void echoesLinesEndedByNewlineOrCrLf() throws Exception {
    loop.start();
    Seen seen = new Seen();
    seen.echo = true;
    Peer peer = open("echo", Framing.lines(), seen);

    peer.write("one\ntwo\r\n\nthr");
    peer.write("ee\n");

    assertEquals("one", peer.readLine());
    assertEquals("two", peer.readLine());
    assertEquals("", peer.readLine());
    assertEquals("three", peer.readLine());
    peer.closeFd(); // the peer leaves: an orderly end
    assertNull(seen.end());
    assertEquals(List.of("one", "two", "", "three"), seen.received);
  }

  @Test
  void linesSplitAtEveryByteBoundaryOverARealSocket() throws Exception {
    loop.start();
    byte[] payload = "ALIVE serial=1\r\nHELP\n\nx=\"a;b\"\n".getBytes(StandardCharsets.UTF_8);
    List<String> expected = List.of("ALIVE serial=1", "HELP", "", "x=\"a;b\"");
    for (int cut = 1; cut < payload.length; cut++) {
      Seen seen = new Seen();
      Peer peer = open("split" + cut, Framing.lines(), seen);
      peer.write(java.util.Arrays.copyOfRange(payload, 0, cut));
      loop.sync(); // the first part is read on its own
      peer.write(java.util.Arrays.copyOfRange(payload, cut, payload.length));
      loop.sync();
      assertEquals(expected, seen.received, "cut at " + cut);
      peer.closeFd();
      assertNull(seen.end());
    }
  }

  @Test
  void aLineTooLongClosesThatConnectionOnlyAndTheLoopGoesOn() throws Exception {
    loop.start();
    Seen bad = new Seen();
    Peer badPeer = open("bad", Framing.lines(16), bad);
    Seen good = new Seen();
    good.echo = true;
    Peer goodPeer = open("good", Framing.lines(16), good);

    badPeer.write("0123456789abcdef\r\n"); // exactly the maximum: fine
    badPeer.write("0123456789abcdefX"); // too long before its end is even seen

    CommunicatorException failure = bad.end();
    assertEquals(CommunicatorException.Kind.LINE_TOO_LONG, failure.kind());
    assertTrue(failure.getMessage().contains("\"bad\""), failure.getMessage());
    assertEquals(0, badPeer.readToEnd().length); // closed on our side
    assertEquals(List.of("0123456789abcdef"), bad.received);

    goodPeer.write("still here\n");
    assertEquals("still here", goodPeer.readLine());
  }

  @Test
  void outputTheTransportDoesNotTakeWaitsForEpollOut() throws Exception {
    loop.start();
    byte[] blob = new byte[1 << 20];
    for (int i = 0; i < blob.length; i++) {
      blob[i] = (byte) i;
    }
    Seen seen = new Seen();
    Peer peer = open("blob", Framing.lines(), seen);
    StreamConnection stream = streams.getFirst();

    // Written from the loop while the peer reads nothing: most of it has to wait.
    boolean written = loop.call(() -> stream.write(blob, 0, blob.length));
    assertTrue(written);
    assertTrue(loop.call(stream::pendingOutput) > 0);
    assertTrue(loop.call(() -> stream.connection().isWriting()));

    assertArrayEquals(blob, peer.read(blob.length)); // every byte, in order
    loop.sync();
    assertEquals(0, loop.call(stream::pendingOutput));
    assertFalse(loop.call(() -> stream.connection().isWriting()));
  }

  @Test
  void aPeerThatNeverReadsIsDroppedAtTheBound() throws Exception {
    loop.start();
    int bound = 256 * 1024;
    Seen flooded = new Seen();
    open("flooded", Framing.lines(), flooded, bound);
    StreamConnection stream = streams.getFirst();
    Seen other = new Seen();
    other.echo = true;
    Peer otherPeer = open("other", Framing.lines(), other);

    byte[] block = new byte[16 * 1024];
    int[] most =
        loop.call(
            () -> {
              int largest = 0;
              while (stream.write(block, 0, block.length)) {
                largest = Math.max(largest, stream.pendingOutput());
              }
              return new int[] {largest, stream.pendingOutput()};
            });

    assertTrue(most[0] <= bound, "pending output reached " + most[0]);
    assertEquals(0, most[1]); // dropped: nothing kept
    CommunicatorException failure = flooded.end();
    assertEquals(CommunicatorException.Kind.OUTPUT_OVERFLOW, failure.kind());
    assertFalse(stream.isOpen());

    otherPeer.write("unaffected\n");
    assertEquals("unaffected", otherPeer.readLine());
  }

  @Test
  void aDoneConnectionWritesEverythingThenCloses() throws Exception {
    loop.start();
    byte[] blob = new byte[3 << 20];
    java.util.Arrays.fill(blob, (byte) 'z');
    Seen seen = new Seen();
    Peer peer = open("done", Framing.lines(), seen);
    StreamConnection stream = streams.getFirst();

    loop.run(
        () -> {
          stream.write(blob, 0, blob.length);
          stream.markDone();
        });

    assertArrayEquals(blob, peer.readToEnd()); // all of it, then end of stream
    assertNull(seen.end());
  }

  @Test
  void aPeerThatClosesInTheMiddleOfALineLosesOnlyThatLine() throws Exception {
    loop.start();
    Seen seen = new Seen();
    Peer peer = open("cut", Framing.lines(), seen);

    peer.write("complete\npart");
    peer.closeFd();

    assertNull(seen.end());
    assertEquals(List.of("complete"), seen.received);
  }

  @Test
  void rawFramingHandsOverEachRead() throws Exception {
    loop.start();
    Seen seen = new Seen();
    Peer peer = open("raw", Framing.raw(), seen);

    peer.write("no\nline\rstructure");
    loop.sync();
    peer.closeFd();

    assertNull(seen.end());
    assertEquals("no\nline\rstructure", String.join("", seen.received));
  }

  @Test
  void aPipeIsAStreamToo() throws Exception {
    loop.start();
    Pipe pipe = Pipe.create(0);
    Seen seen = new Seen();
    loop.run(
        () ->
            StreamConnection.open(
                loop.communicator, "pipe", Transport.of(pipe.source()), Framing.lines(), seen));

    pipe.sink()
        .write(java.lang.foreign.MemorySegment.ofArray("a\nb\n".getBytes(StandardCharsets.UTF_8)));
    pipe.sink().close(); // the writer leaves: hang-up

    assertNull(seen.end());
    assertEquals(List.of("a", "b"), seen.received);
  }

  @Test
  void writingAfterTheEndOrFromAnotherThreadIsRefused() throws Exception {
    Seen seen = new Seen();
    SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, 0);
    Peer peer = new Peer(pair.first());
    peers.add(peer);
    // The loop is not running yet: any one thread may open and write.
    StreamConnection stream =
        StreamConnection.open(
            loop.communicator, "refuse", Transport.of(pair.second()), Framing.lines(), seen);
    assertTrue(stream.write(NEWLINE, 0, 1));
    loop.start();
    loop.sync(); // the loop thread is inside run() now

    assertThrows(IllegalStateException.class, () -> stream.write(NEWLINE, 0, 1));
    loop.run(stream::close);
    assertNull(seen.end());
    assertFalse(loop.call(() -> stream.write(NEWLINE, 0, 1)));
    assertEquals(1, peer.readToEnd().length); // the newline written before the loop ran
  }

  @Test
  void manyConnectionsShareOneReadBuffer() throws Exception {
    loop.start();
    int count = 50;
    List<Peer> all = new ArrayList<>();
    AtomicInteger lines = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      Seen seen = new Seen();
      seen.echo = true;
      all.add(open("c" + i, Framing.lines(), seen));
    }
    for (int i = 0; i < count; i++) {
      all.get(i).write("from " + i + "\npart of " + i);
    }
    for (int i = 0; i < count; i++) {
      all.get(i).write(" done\n");
    }
    for (int i = 0; i < count; i++) {
      assertEquals("from " + i, all.get(i).readLine());
      assertEquals("part of " + i + " done", all.get(i).readLine());
      lines.addAndGet(2);
    }
    assertEquals(2 * count, lines.get());
  }
}
