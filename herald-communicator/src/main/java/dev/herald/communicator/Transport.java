package dev.herald.communicator;

import dev.herald.os.Fd;
import java.lang.foreign.MemorySegment;

/**
 * Where a {@link StreamConnection}'s bytes come from and go to: an fd that reads and writes bytes
 * (a socket, one end of a socket pair, one end of a pipe). The one place a stream connection
 * touches its fd, so that a layer (TLS) can stand between the bytes and the fd.
 *
 * <pre>{@code
 * SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
 * Transport transport = Transport.of(pair.second());  // closing the transport closes that end
 * Transport secure = tls.serverTransport(client);      // TLS over an accepted socket (TlsSettings)
 * }</pre>
 */
public interface Transport extends AutoCloseable {
  /**
   * The fd the communicator watches.
   *
   * @return the fd
   */
  Fd fd();

  /**
   * Reads once, without blocking.
   *
   * @param buffer where the bytes go
   * @return the number of bytes read, 0 at end of stream, or {@link Fd#WOULD_BLOCK}
   * @throws dev.herald.os.OsException when the read fails (a reset connection: ECONNRESET)
   * @throws CommunicatorException {@code TLS_FAILED} when a TLS layer fails
   */
  long read(MemorySegment buffer);

  /**
   * Writes once, without blocking; a short write is possible.
   *
   * @param buffer the bytes to write
   * @return the number of bytes written, or {@link Fd#WOULD_BLOCK}
   * @throws dev.herald.os.OsException when the write fails (a closed peer: EPIPE)
   * @throws CommunicatorException {@code TLS_FAILED} when a TLS layer fails
   */
  long write(MemorySegment buffer);

  /**
   * Writes what the transport holds of its own and moves its protocol on, without blocking: a TLS
   * layer's handshake messages and encrypted records the fd did not take yet. The plain transport
   * holds nothing.
   *
   * @throws dev.herald.os.OsException when the write fails
   * @throws CommunicatorException {@code TLS_FAILED} when a TLS layer fails
   */
  default void flush() {}

  /**
   * Whether the fd must be watched for writing: the transport holds output of its own, or the
   * connection has output pending that the transport could take once the fd is writable (a TLS
   * layer waiting for the peer's handshake cannot, and says so, so that the loop does not spin).
   *
   * @param outputPending whether the connection keeps bytes for writing
   * @return true to watch the fd for writing
   */
  default boolean wantsWritable(boolean outputPending) {
    return outputPending;
  }

  /**
   * Whether {@link #read} can deliver bytes that are already out of the fd (a TLS layer's decrypted
   * data or complete records), which the fd's readiness will not announce again.
   *
   * @return true when a read would deliver without the fd
   */
  default boolean hasBufferedInput() {
    return false;
  }

  /** Closes the fd (and whatever the transport owns); later calls do nothing. */
  @Override
  void close();

  /**
   * A transport reading and writing a non-blocking fd it owns.
   *
   * @param fd the fd, switched to non-blocking mode here; closed with the transport
   * @param <T> an fd type that can be closed ({@code OwnedFd}, a socket, ...)
   * @return the transport
   */
  // AutoCloseable.close() may throw InterruptedException in general; an fd's close does not block.
  @SuppressWarnings("try")
  static <T extends Fd & AutoCloseable> Transport of(T fd) {
    return new FdTransport(fd);
  }
}
