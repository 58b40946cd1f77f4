package dev.herald.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A descriptor's number is never released under a system call in flight on another thread. */
class FdLifetimeTest {
  @Test
  void closeDuringABlockedReadKeepsTheNumberUntilTheReadReturns() throws Exception {
    try (Pipe pipe = Pipe.create(0);
        Arena arena = Arena.ofShared()) {
      OwnedFd source = pipe.source();
      int number = source.fd();
      MemorySegment buffer = arena.allocate(16);
      CompletableFuture<Integer> tid = new CompletableFuture<>();
      CompletableFuture<Long> reader = new CompletableFuture<>();
      Thread.ofPlatform()
          .start(
              () -> {
                tid.complete(Signals.threadId());
                reader.complete(source.read(buffer));
              });
      awaitSleepingInTheKernel(tid.get(10, TimeUnit.SECONDS)); // the read is in flight

      source.close();
      assertTrue(source.isClosed());
      assertThrows(IllegalStateException.class, source::fd);
      assertThrows(IllegalStateException.class, () -> source.read(buffer));
      // The lowest free number would be the closed one, had close() released it under the read.
      try (Pipe other = Pipe.create(0)) {
        assertNotEquals(number, other.source().fd());
        assertNotEquals(number, other.sink().fd());
      }

      pipe.sink().write(arena.allocateFrom("x", StandardCharsets.US_ASCII));
      assertEquals(2, reader.get(10, TimeUnit.SECONDS)); // "x" and its NUL
      // The read was the last user: the number is closed now.
      assertEquals(
          Errno.EBADF,
          assertThrows(OsException.class, () -> Fd.of(number).isNonBlocking()).errno());
    }
  }

  @Test
  void closeWithNoCallInFlightReleasesTheNumberAtOnce() {
    try (Pipe pipe = Pipe.create(0)) {
      int number = pipe.source().fd();
      pipe.source().close();
      assertEquals(
          Errno.EBADF,
          assertThrows(OsException.class, () -> Fd.of(number).isNonBlocking()).errno());
    }
  }

  @Test
  void acquireAndReleaseCountUsersAndTheLastOneClosesAfterClose() {
    try (Pipe pipe = Pipe.create(0)) {
      OwnedFd sink = pipe.sink();
      int number = sink.acquire();
      int again = sink.acquire();
      assertEquals(number, again);
      sink.close();
      assertThrows(IllegalStateException.class, sink::acquire);
      sink.release();
      assertFalse(Fd.of(number).isNonBlocking()); // still open: one user left
      sink.release();
      assertEquals(
          Errno.EBADF,
          assertThrows(OsException.class, () -> Fd.of(number).isNonBlocking()).errno());
    }
  }

  @Test
  void heapSegmentsAreReadAndWrittenThroughANativeBuffer() {
    try (SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, 0)) {
      byte[] message = "hello from the heap".getBytes(StandardCharsets.US_ASCII);
      assertEquals(message.length, pair.first().write(MemorySegment.ofArray(message)));
      byte[] got = new byte[64];
      long n = pair.second().read(MemorySegment.ofArray(got));
      assertEquals(message.length, n);
      assertArrayEquals(message, java.util.Arrays.copyOf(got, (int) n));

      // Larger than the per-call limit: a short transfer, never an error.
      byte[] big = new byte[Fd.HEAP_TRANSFER_LIMIT * 2];
      pair.first().nonBlocking(true);
      long wrote = pair.first().write(MemorySegment.ofArray(big));
      assertTrue(wrote > 0 && wrote <= Fd.HEAP_TRANSFER_LIMIT, "wrote " + wrote);

      // A heap segment of another element type works too.
      long[] longs = new long[2];
      pair.second().nonBlocking(true);
      assertEquals(16, pair.second().read(MemorySegment.ofArray(longs)));
    }
  }

  @Test
  void readOnlySegmentsCannotBeReadInto() {
    try (Pipe pipe = Pipe.create(Pipe.NONBLOCK)) {
      MemorySegment readOnly = MemorySegment.ofArray(new byte[4]).asReadOnly();
      assertThrows(IllegalArgumentException.class, () -> pipe.source().read(readOnly));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment nativeReadOnly = arena.allocate(ValueLayout.JAVA_INT).asReadOnly();
        assertThrows(IllegalArgumentException.class, () -> pipe.source().read(nativeReadOnly));
      }
    }
  }

  /** Waits until the thread's state in /proc is S (sleeping): blocked in the read. */
  private static void awaitSleepingInTheKernel(int tid) throws Exception {
    Path stat = Path.of("/proc/self/task/" + tid + "/stat");
    for (int i = 0; i < 1000; i++) {
      String line = Files.readString(stat);
      char state = line.charAt(line.lastIndexOf(')') + 2);
      if (state == 'S') {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("thread " + tid + " never blocked in read");
  }
}
