package dev.herald.communicator;

import dev.herald.os.Fd;
import dev.herald.os.OsException;
import dev.herald.os.Socket;
import dev.herald.os.SocketOption;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection that carries a byte stream: a {@link Transport} (where the bytes go), a {@link
 * Framing} (how input is cut) and a {@link StreamHandler} (what is done with it), composed rather
 * than inherited, so that every kind of stream (socket pair, pipe, TCP, Unix socket) shares this
 * one code path for reading, writing, back-pressure and closing.
 *
 * <p>Input: each time the fd is readable the connection reads in bulk into the communicator's
 * shared read buffer (at most 16 reads of 64 KiB per round, for fairness) and hands the pieces to
 * the handler; an unfinished line is the only input a connection keeps between reads. End of stream
 * closes the connection once its pending output is written.
 *
 * <p>Output: {@link #write} writes at once what the transport takes and keeps the rest; only while
 * something is kept is the fd watched for writing ({@code EPOLLOUT} back-pressure). What the
 * connection writes while the lines of one read are delivered is gathered and written after them in
 * one system call (the replies to pipelined requests leave together). A peer that does not read
 * cannot make the service's memory grow: once more than {@link #maximumPendingOutput()} bytes would
 * be kept, the connection is dropped ({@code OUTPUT_OVERFLOW}). {@link #markDone()} closes the
 * connection once its output is written.
 *
 * <p>Errors (a failed read or write, a line too long, an output overflow, an error the kernel
 * reports on the fd) close this connection only; the loop goes on. The handler hears of the end
 * through {@link StreamHandler#closed}. Everything here is for the loop thread (or for any one
 * thread while the loop is not running).
 *
 * <pre>{@code
 * StreamConnection echo = StreamConnection.open(communicator, "echo",
 *     Transport.of(pair.second()), Framing.lines(),
 *     (stream, data, offset, length) -> {
 *       stream.write(data, offset, length);
 *       stream.write(new byte[] {'\n'}, 0, 1);
 *     });
 * echo.connection().setPriority(50);   // priority, timeout, enabled: the loop's side of it
 * }</pre>
 */
public final class StreamConnection {
  private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

  /** The default bound of pending output: 4 MiB. */
  public static final int DEFAULT_MAXIMUM_PENDING_OUTPUT = 4 << 20;

  /** Reads per readable event and round, so that one busy peer cannot hold the loop. */
  private static final int READS_PER_ROUND = 16;

  private final Communicator communicator;
  private final Transport transport;
  private final LineFramer lines;
  private final StreamHandler handler;
  private final OutputBuffer output = new OutputBuffer();
  private final Connection connection;
  private int maximumPendingOutput = DEFAULT_MAXIMUM_PENDING_OUTPUT;
  private boolean open = true;
  private boolean inputEnded;
  private boolean doneRequested;
  private CommunicatorException failure;

  private StreamConnection(
      Communicator communicator,
      String name,
      Transport transport,
      Framing framing,
      StreamHandler handler) {
    this.communicator = communicator;
    this.transport = transport;
    this.handler = handler;
    this.lines =
        switch (framing) {
          case Framing.Raw raw -> null;
          case Framing.Lines l -> new LineFramer(l.maximumLength());
        };
    this.connection = Connection.of(name, transport.fd(), new Events());
    connection.setWriting(transport.wantsWritable(false)); // a TLS client speaks first
  }

  /**
   * Creates a stream connection and adds it to {@code communicator}; it takes part from the next
   * round on. If it cannot be added, the transport is closed.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param transport the bytes; owned by the connection from now on
   * @param framing how input is cut
   * @param handler what is done with it
   * @return the connection
   * @throws CommunicatorException {@code INVALID_PARAMETER} if the transport's fd is closed, {@code
   *     CLOSED} if the communicator is
   */
  public static StreamConnection open(
      Communicator communicator,
      String name,
      Transport transport,
      Framing framing,
      StreamHandler handler) {
    Objects.requireNonNull(communicator, "communicator");
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(handler, "handler");
    StreamConnection stream;
    try {
      stream = new StreamConnection(communicator, name, transport, framing, handler);
      communicator.add(stream.connection);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    return stream;
  }

  /**
   * The connection in the loop: its name, priority, enabled flag and timeout.
   *
   * @return the connection
   */
  public Connection connection() {
    return connection;
  }

  /**
   * The transport the bytes go through: {@code instanceof TlsTransport} tells a TLS connection's
   * peer, protocol and server name.
   *
   * @return the transport
   */
  public Transport transport() {
    return transport;
  }

  /**
   * The communicator this connection was opened in.
   *
   * @return the communicator
   */
  public Communicator communicator() {
    return communicator;
  }

  /**
   * The connection's name.
   *
   * @return the name
   */
  public String name() {
    return connection.name();
  }

  /**
   * Whether the connection is open (not closed yet).
   *
   * @return true until closed
   */
  public boolean isOpen() {
    return open;
  }

  /**
   * Bytes written but not yet taken by the transport.
   *
   * @return the pending byte count
   */
  public int pendingOutput() {
    return output.pending();
  }

  /**
   * The bound of pending output.
   *
   * @return the bound in bytes, {@link #DEFAULT_MAXIMUM_PENDING_OUTPUT} unless changed
   */
  public int maximumPendingOutput() {
    return maximumPendingOutput;
  }

  /**
   * Changes the bound of pending output; a peer that lets more pile up is dropped.
   *
   * @param bytes at least 1
   */
  public void setMaximumPendingOutput(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("the pending output bound must be at least 1 byte");
    }
    maximumPendingOutput = bytes;
  }

  /**
   * Writes bytes: at once as far as the transport takes them, the rest when the fd is writable;
   * while this connection's input is delivered, once the lines of that read are handled.
   *
   * @param data the bytes (copied if they cannot be written at once)
   * @param offset where they start
   * @param length how many
   * @return true when written or kept; false when the connection is closed, or is closed by this
   *     write (the write failed, or the pending output would pass its bound)
   * @throws IllegalStateException from another thread while the loop runs
   */
  public boolean write(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    communicator.checkThread();
    if (!open) {
      return false;
    }
    WriteBatch batch = communicator.buffers().batch;
    if (batch.isFor(this)) {
      if (batch.add(data, offset, length)) {
        return true; // written once the read is delivered
      }
      if (!writeBatch(batch)) {
        return false;
      }
    }
    return send(data, offset, length);
  }

  /** Writes what the transport takes and keeps the rest, within the bound. */
  private boolean send(byte[] data, int offset, int length) {
    if (output.pending() == 0) {
      int written;
      try {
        written = writeNow(data, offset, length);
      } catch (OsException e) {
        fail(CommunicatorException.Kind.IO_ERROR, e, "writing failed: " + e.getMessage());
        return false;
      } catch (CommunicatorException e) {
        fail(e);
        return false;
      }
      offset += written;
      length -= written;
      if (length == 0) {
        updateWriting(); // a TLS layer may keep records of its own
        return true;
      }
    }
    if ((long) output.pending() + length > maximumPendingOutput) {
      fail(
          CommunicatorException.Kind.OUTPUT_OVERFLOW,
          null,
          "more than "
              + maximumPendingOutput
              + " bytes of output are pending: the peer does not read; dropping it.");
      return false;
    }
    output.append(data, offset, length);
    updateWriting();
    return true;
  }

  /** Writes what the transport takes without waiting; returns how much that was. */
  private int writeNow(byte[] data, int offset, int length) {
    int written = 0;
    MemorySegment view = MemorySegment.ofArray(data);
    while (written < length) {
      long n = transport.write(view.asSlice(offset + written, length - written));
      if (n == Fd.WOULD_BLOCK) {
        break;
      }
      written += (int) n;
    }
    return written;
  }

  /**
   * Closes the connection once its pending output is written (upstream's {@code mark_done}). Input
   * still arriving meanwhile is processed.
   */
  public void markDone() {
    doneRequested = true;
    applyDone();
  }

  /**
   * Marks the connection done unless output is pending that the transport cannot take yet (a TLS
   * handshake in progress): the loop removes a done connection once it is not writing, so that
   * output would be lost; {@link #updateWriting} marks it once the transport can write.
   */
  private void applyDone() {
    if (output.pending() == 0 || connection.isWriting()) {
      connection.markDone();
    }
  }

  /**
   * Closes the connection now; pending output is dropped. {@link StreamHandler#closed} runs before
   * this returns. Closing again does nothing.
   */
  public void close() {
    communicator.checkThread();
    WriteBatch batch = communicator.buffers().batch;
    if (open && batch.isFor(this)) {
      writeBatch(batch); // what was written before close() leaves, as if written at once
    }
    if (!connection.remove()) {
      closed(); // never added, or already removed through its Connection
    }
  }

  /** Closes with a failure: logged, and handed to {@link StreamHandler#closed}. */
  private void fail(CommunicatorException.Kind kind, OsException cause, String what) {
    fail(kind, cause == null ? 0 : cause.errno(), cause, what);
  }

  /** Closes with the failure a transport reported (a TLS layer's), naming the connection. */
  private void fail(CommunicatorException fromTransport) {
    fail(
        fromTransport.kind(),
        fromTransport.errno(),
        fromTransport.getCause(),
        fromTransport.getMessage());
  }

  private void fail(CommunicatorException.Kind kind, int errno, Throwable cause, String what) {
    if (!open) {
      return;
    }
    String message = "connection \"" + name() + "\": " + what;
    LOG.info(message);
    failure = new CommunicatorException(kind, errno, message, cause);
    close();
  }

  /** Watches the fd for writing while the transport can use it (see Transport#wantsWritable). */
  private void updateWriting() {
    connection.setWriting(transport.wantsWritable(output.pending() > 0));
    if (doneRequested && !connection.isDone()) {
      applyDone();
    }
  }

  /** The end, once: out of the loop already; closes the transport and tells the handler. */
  private void closed() {
    if (!open) {
      return;
    }
    open = false;
    output.clear();
    if (lines != null) {
      lines.clear();
    }
    transport.close();
    handler.closed(this, failure);
  }

  /**
   * Reads what is there: up to {@link #READS_PER_ROUND} reads, or {@code toTheEnd} (after a
   * hang-up, when the peer sends no more and what it sent last must not be lost).
   */
  private void read(boolean toTheEnd) {
    LoopBuffers buffers = communicator.buffers();
    // Input a transport holds out of the fd (TLS records) is read past the limit: epoll would
    // not announce it again.
    for (int reads = 0;
        open
            && !inputEnded
            && (toTheEnd || reads < READS_PER_ROUND || transport.hasBufferedInput());
        reads++) {
      long n;
      try {
        n = transport.read(buffers.readSegment);
      } catch (OsException e) {
        fail(CommunicatorException.Kind.IO_ERROR, e, "reading failed: " + e.getMessage());
        return;
      } catch (CommunicatorException e) {
        fail(e);
        return;
      }
      if (n == 0) {
        endOfInput();
        return;
      }
      if (n == Fd.WOULD_BLOCK) {
        break;
      }
      deliver(buffers.read, (int) n);
      if (n < buffers.read.length && !toTheEnd && !transport.hasBufferedInput()) {
        break; // drained: epoll says when more comes, without a read that would only block
      }
    }
    if (open) {
      updateWriting(); // reading may have moved a TLS handshake on: its output, or ours, can go
    }
  }

  private void deliver(byte[] data, int length) {
    WriteBatch batch = communicator.buffers().batch;
    // Nothing pending: the replies to this read's lines may leave together, in order.
    boolean batching = output.pending() == 0 && batch.begin(this);
    try {
      deliverLines(data, length);
    } finally {
      if (batching) {
        if (open) {
          writeBatch(batch);
        }
        batch.end();
      }
    }
  }

  /** Writes and empties the batch; false when that closed the connection. */
  private boolean writeBatch(WriteBatch batch) {
    int gathered = batch.length();
    batch.clear();
    // The batch's array is not touched again before send() has written or copied these bytes.
    return gathered == 0 || send(batch.data(), 0, gathered);
  }

  private void deliverLines(byte[] data, int length) {
    if (lines == null) {
      handler.received(this, data, 0, length);
    } else if (!lines.feed(data, 0, length, this::line)) {
      fail(
          CommunicatorException.Kind.LINE_TOO_LONG,
          null,
          "a line longer than the maximum of "
              + lines.maximumLength()
              + " bytes arrived; closing the connection (raise the framing's maximum line length"
              + " if such lines are expected).");
    }
  }

  private boolean line(byte[] data, int offset, int length) {
    handler.received(this, data, offset, length);
    return open;
  }

  /**
   * The peer will send no more (end of stream, or a hang-up): stop reading, and close once the
   * pending output is written, at once if there is none or the peer is gone.
   */
  private void endOfInput() {
    inputEnded = true;
    if (lines != null && lines.pending() > 0) {
      LOG.debug(
          "connection \"{}\": the peer closed in the middle of a line; {} bytes dropped.",
          name(),
          lines.pending());
      lines.clear();
    }
    if (!flush()) {
      return; // failed, so closed
    }
    if (!connection.isWriting()) {
      close(); // nothing pending, here or in the transport
    } else {
      connection.setReading(false);
      connection.markDone();
    }
  }

  /**
   * Writes pending output.
   *
   * @return false when writing failed and the connection is closed
   */
  private boolean flush() {
    try {
      transport.flush();
      output.flush(transport);
      updateWriting();
      return true;
    } catch (OsException e) {
      fail(CommunicatorException.Kind.IO_ERROR, e, "writing failed: " + e.getMessage());
      return false;
    } catch (CommunicatorException e) {
      fail(e);
      return false;
    }
  }

  @Override
  public String toString() {
    return "StreamConnection(\""
        + name()
        + "\", "
        + transport
        + (open ? "" : ", closed")
        + ", "
        + output.pending()
        + " bytes pending)";
  }

  /** The loop's callbacks, kept off the public API. */
  private final class Events implements ConnectionHandler {
    @Override
    public void readable(Connection c) {
      read(false);
    }

    @Override
    public void writable(Connection c) {
      if (flush() && transport.hasBufferedInput()) {
        read(false); // records a TLS layer could not decrypt before its own output went
      }
    }

    @Override
    public void error(Connection c) {
      int errno = 0;
      if (transport.fd() instanceof Socket socket) {
        errno = socket.get(SocketOption.ERROR); // what went wrong, e.g. ECONNRESET
      }
      if (errno != 0) {
        OsException cause = new OsException("SO_ERROR", "fd " + c.fdNumber(), errno);
        fail(CommunicatorException.Kind.IO_ERROR, cause, cause.getMessage() + "; closing it.");
      } else {
        fail(
            CommunicatorException.Kind.IO_ERROR,
            null,
            "the kernel reported an error on fd " + c.fdNumber() + " (EPOLLERR); closing it.");
      }
    }

    @Override
    public void hangUp(Connection c) {
      read(true); // what the peer sent before it hung up, up to the end of stream
      if (open) {
        endOfInput();
      }
    }

    @Override
    public void invalid(Connection c) {
      fail(
          CommunicatorException.Kind.IO_ERROR,
          null,
          "its fd cannot be watched (closed behind its back?); closing it.");
    }

    @Override
    public void timeout(Connection c) {
      handler.timeout(StreamConnection.this);
    }

    @Override
    public void removed(Connection c) {
      closed();
    }
  }
}
