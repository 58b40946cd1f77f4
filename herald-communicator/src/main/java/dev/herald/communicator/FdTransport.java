package dev.herald.communicator;

import dev.herald.os.Fd;
import java.lang.foreign.MemorySegment;
import org.slf4j.LoggerFactory;

/** The plain transport: the fd's own {@code read} and {@code write} (sockets never SIGPIPE). */
final class FdTransport implements Transport {
  private final Fd fd;
  private final AutoCloseable owner;

  // AutoCloseable.close() may throw InterruptedException in general; an fd's close does not block.
  @SuppressWarnings("try")
  <T extends Fd & AutoCloseable> FdTransport(T fd) {
    fd.nonBlocking(true);
    this.fd = fd;
    this.owner = fd;
  }

  @Override
  public Fd fd() {
    return fd;
  }

  @Override
  public long read(MemorySegment buffer) {
    return fd.read(buffer);
  }

  @Override
  public long write(MemorySegment buffer) {
    return fd.write(buffer);
  }

  @Override
  public void close() {
    try {
      owner.close();
    } catch (Exception e) {
      // The number is released even then (Linux); nothing is left to do but say so.
      LoggerFactory.getLogger(FdTransport.class).warn("closing {} failed: {}", fd, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "Transport(" + fd + ")";
  }
}
