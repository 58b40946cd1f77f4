package dev.herald.communicator;

import dev.herald.os.Fd;
import dev.herald.os.internal.Epoll;
import dev.herald.os.internal.EpollEvents;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The test's side of a connection: a non-blocking fd with its own epoll instance, so that every
 * wait has a deadline and a broken test fails instead of hanging.
 */
final class Peer implements AutoCloseable {
  private static final int WAIT_MILLIS = 10_000;

  final Fd fd;
  private final AutoCloseable owner;
  private final Epoll epoll = Epoll.create();
  private final EpollEvents ready = EpollEvents.allocate(1);
  private final byte[] chunk = new byte[64 * 1024];
  private final ByteArrayOutputStream unread = new ByteArrayOutputStream();
  private boolean endOfStream;

  // AutoCloseable.close() may throw InterruptedException in general; an fd's close does not block.
  @SuppressWarnings("try")
  <T extends Fd & AutoCloseable> Peer(T fd) {
    this.fd = fd;
    this.owner = fd;
    fd.nonBlocking(true);
    epoll.add(fd.fd(), 0, 0);
  }

  /** Waits until the fd reports one of {@code events}; fails after the deadline. */
  private void await(int events) {
    epoll.modify(fd.fd(), events, 0);
    if (epoll.await(ready, WAIT_MILLIS) == 0) {
      throw new AssertionError(
          "peer: nothing happened on " + fd + " within " + WAIT_MILLIS + " ms");
    }
  }

  void write(String text) {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  void write(byte[] bytes) {
    int done = 0;
    while (done < bytes.length) {
      long n = fd.write(MemorySegment.ofArray(bytes).asSlice(done, bytes.length - done));
      if (n == Fd.WOULD_BLOCK) {
        await(Epoll.OUT);
      } else {
        done += (int) n;
      }
    }
  }

  /** Reads once what is there (waiting for something); false at end of stream. */
  private boolean fill() {
    while (true) {
      long n = fd.read(MemorySegment.ofArray(chunk));
      if (n == Fd.WOULD_BLOCK) {
        await(Epoll.IN);
        continue;
      }
      if (n == 0) {
        endOfStream = true;
        return false;
      }
      unread.write(chunk, 0, (int) n);
      return true;
    }
  }

  /** The next line, without its '\n'; fails at end of stream. */
  String readLine() {
    while (true) {
      byte[] bytes = unread.toByteArray();
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          unread.reset();
          unread.write(bytes, i + 1, bytes.length - i - 1);
          return new String(bytes, 0, i, StandardCharsets.UTF_8);
        }
      }
      if (!fill()) {
        String text = unread.toString(StandardCharsets.UTF_8);
        throw new AssertionError(
            "peer: end of stream before a line; "
                + text.length()
                + " characters unread: "
                + text.substring(0, Math.min(100, text.length())));
      }
    }
  }

  /** Exactly {@code count} bytes. */
  byte[] read(int count) {
    while (unread.size() < count) {
      if (!fill()) {
        throw new AssertionError("peer: end of stream after " + unread.size() + " bytes");
      }
    }
    byte[] bytes = unread.toByteArray();
    unread.reset();
    unread.write(bytes, count, bytes.length - count);
    return java.util.Arrays.copyOf(bytes, count);
  }

  /** Everything up to the end of stream. */
  byte[] readToEnd() {
    while (!endOfStream) {
      fill();
    }
    byte[] bytes = unread.toByteArray();
    unread.reset();
    return bytes;
  }

  /** Closes the fd (the peer leaves); the rest is closed by {@link #close()}. */
  void closeFd() {
    try {
      owner.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    closeFd();
    epoll.close();
    ready.close();
  }
}
