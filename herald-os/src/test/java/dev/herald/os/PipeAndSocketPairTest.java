package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.internal.Epoll;
import dev.herald.os.internal.EpollEvents;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class PipeAndSocketPairTest {
  @Test
  void pipeCarriesBytesAndReportsEndOfFile() {
    try (Pipe pipe = Pipe.create(Pipe.NONBLOCK);
        Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(16);
      assertEquals(Fd.WOULD_BLOCK, pipe.source().read(buf));
      assertEquals(
          5,
          pipe.sink()
              .write(
                  arena
                      .allocateFrom("hello", java.nio.charset.StandardCharsets.US_ASCII)
                      .asSlice(0, 5)));
      assertEquals(5, pipe.source().read(buf));
      assertEquals("hello", new String(buf.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE)));
      pipe.sink().close();
      assertEquals(0, pipe.source().read(buf));
    }
  }

  @Test
  void writingToAClosedPipeIsEpipe() {
    try (Pipe pipe = Pipe.create(0);
        Arena arena = Arena.ofConfined()) {
      pipe.source().close();
      // The JVM ignores SIGPIPE, so the write fails with EPIPE instead of killing the process.
      OsException e = assertThrows(OsException.class, () -> pipe.sink().write(arena.allocate(1)));
      assertEquals(Errno.EPIPE, e.errno());
    }
  }

  @Test
  void socketPairIsBidirectionalAndHangsUp() {
    try (SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
        Arena arena = Arena.ofConfined();
        Epoll epoll = Epoll.create();
        EpollEvents ready = EpollEvents.allocate(2)) {
      MemorySegment buf = arena.allocate(8);
      buf.set(ValueLayout.JAVA_LONG, 0, 42);
      assertEquals(8, pair.first().write(buf));
      assertEquals(8, pair.second().read(buf));
      assertEquals(42, buf.get(ValueLayout.JAVA_LONG, 0));
      epoll.add(pair.second().fd(), Epoll.IN | Epoll.READ_HANG_UP, 0);
      pair.first().close();
      assertEquals(1, epoll.await(ready, 1000));
      int mask = ready.events(0);
      assertTrue(
          (mask & Epoll.HANG_UP) != 0 && (mask & Epoll.READ_HANG_UP) != 0,
          Integer.toHexString(mask));
    }
  }

  @Test
  void datagramPairKeepsMessageBoundaries() {
    try (SocketPair pair = SocketPair.create(SocketPair.Type.DATAGRAM, SocketPair.NONBLOCK);
        Arena arena = Arena.ofConfined()) {
      pair.first().write(arena.allocate(3));
      pair.first().write(arena.allocate(4));
      MemorySegment buf = arena.allocate(64);
      assertEquals(3, pair.second().read(buf));
      assertEquals(4, pair.second().read(buf));
      assertEquals(Fd.WOULD_BLOCK, pair.second().read(buf));
    }
  }
}
