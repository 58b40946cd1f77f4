package dev.herald.communicator;

import dev.herald.os.Fd;
import dev.herald.os.OsException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS as a layer over another {@link Transport}: the JDK's {@link SSLEngine} encrypts what the
 * connection writes and decrypts what the fd delivers, driven by the loop's readable and writable
 * callbacks on the same fd, without a second I/O stack. Made by {@link TlsSettings#serverTransport}
 * and {@link TlsSettings#clientTransport}; a {@link StreamConnection} uses it like any transport.
 *
 * <p>The handshake runs without blocking: its messages are written when the fd takes them, and the
 * fd is watched for writing only while some are pending (or while the connection has output once
 * the handshake is done), so a handshake waiting for the peer does not spin the loop. Output
 * written during the handshake is kept by the connection and sent once it completes. The engine's
 * delegated tasks (key agreement, certificate checks against in-memory trust) run inline on the
 * loop thread: they take a few milliseconds of CPU, and handing them to another thread would need a
 * wake-up path back into the loop for no gain on a loop that has nothing else to run meanwhile.
 *
 * <p>Buffers: one for records read from the fd, one for decrypted data, one for records to write,
 * each sized by the session and reused for every read and write. Failures (a refused peer, a
 * protocol below TLS 1.2, a peer that does not speak TLS or closes during the handshake) are {@link
 * CommunicatorException}s of kind {@code TLS_FAILED} naming the peer; the connection closes and the
 * loop goes on. {@link #close()} sends {@code close_notify} when the fd takes it.
 *
 * <pre>{@code
 * StreamListener.listen(communicator, "tls", address, (l, client) -> {
 *   MessageConnection c = MessageConnection.open(communicator, "client",
 *       tls.serverTransport(client), dispatcher);
 *   if (c.stream().transport() instanceof TlsTransport t) {
 *     log.info("{} asked for {}", t.peer(), t.requestedServerName().orElse("no name"));
 *   }
 * });
 * }</pre>
 */
public final class TlsTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(TlsTransport.class);

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** A TLS record header: type, version, length. */
  private static final int RECORD_HEADER = 5;

  /** Wraps tried on close for the closing records (an alert, close_notify). */
  private static final int CLOSING_WRAPS = 4;

  private final Transport inner;
  private final SSLEngine engine;
  private final String peer;

  /** Records read from the fd, not yet decrypted (write mode: position = bytes held). */
  private ByteBuffer netIn;

  /** Decrypted bytes not yet handed to the connection (write mode). */
  private ByteBuffer appIn;

  /** Records to write to the fd (write mode). */
  private ByteBuffer netOut;

  /** The view of the last read destination: the communicator's shared read buffer, every time. */
  private MemorySegment readTarget;

  private ByteBuffer readView;

  /** The engine asked for more bytes than {@link #netIn} holds; no fd read since. */
  private boolean underflow;

  private boolean handshakeDone;
  private boolean inputEnded;
  private boolean closeNotified;
  private boolean closed;

  /** Told once the handshake is done (a permanent connection counts as made from then on). */
  private Runnable onEstablished = () -> {};

  TlsTransport(Transport inner, SSLEngine engine, String peer) {
    this.inner = inner;
    this.engine = engine;
    this.peer = peer;
    SSLSession session = engine.getSession();
    netIn = ByteBuffer.allocate(session.getPacketBufferSize());
    netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    try {
      engine.beginHandshake();
    } catch (SSLException e) {
      inner.close();
      throw failure(e);
    }
  }

  @Override
  public Fd fd() {
    return inner.fd();
  }

  /**
   * The peer, as named in logs and errors: its address, or the fd when it has none.
   *
   * @return the peer's name
   */
  public String peer() {
    return peer;
  }

  /**
   * Whether the handshake has completed.
   *
   * @return true once application data can flow
   */
  public boolean isHandshakeComplete() {
    return handshakeDone;
  }

  /**
   * The protocol the handshake agreed on.
   *
   * @return {@code "TLSv1.3"} or {@code "TLSv1.2"}, or empty before the handshake completed
   */
  public Optional<String> protocol() {
    return handshakeDone ? Optional.of(engine.getSession().getProtocol()) : Optional.empty();
  }

  /**
   * Whether the peer's certificate was verified. A client in {@code SECURE} mode accepts a peer
   * that fails verification, with a warning; this tells it apart. A server does not ask clients for
   * certificates, so for it this is false.
   *
   * @return true when the peer presented a certificate that passed verification
   */
  public boolean isPeerVerified() {
    if (!handshakeDone) {
      return false;
    }
    SSLSession session = engine.getSession();
    try {
      session.getPeerCertificates();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return false; // no certificate at all
    }
    return session.getValue(PeerTrust.UNVERIFIED) == null;
  }

  /**
   * The server name (SNI) of the handshake: on a server, the name the client asked for; on a
   * client, the name it sent.
   *
   * @return the host name, or empty when none was sent or before the handshake completed
   */
  public Optional<String> requestedServerName() {
    if (!handshakeDone || !(engine.getSession() instanceof ExtendedSSLSession session)) {
      return Optional.empty();
    }
    for (SNIServerName name : session.getRequestedServerNames()) {
      if (name instanceof SNIHostName host) {
        return Optional.of(host.getAsciiName());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the peer ended its side with {@code close_notify}. A peer whose input ended without it
   * may have been cut off (a truncation attack, or a crash); the connection ends in order either
   * way, this tells them apart.
   *
   * @return true once {@code close_notify} arrived
   */
  public boolean peerSentCloseNotify() {
    return closeNotified;
  }

  @Override
  public long read(MemorySegment buffer) {
    if (appIn.position() == 0 && inputEnded) {
      return 0;
    }
    ByteBuffer out = view(buffer);
    guarded(() -> decryptInto(out));
    int produced = out.position();
    if (produced > 0) {
      return produced;
    }
    return inputEnded && appIn.position() == 0 ? 0 : Fd.WOULD_BLOCK;
  }

  /** Fills {@code out} with plaintext: what the engine holds, then at most one read of the fd. */
  private long decryptInto(ByteBuffer out) throws SSLException {
    boolean readFd = false;
    progress();
    while (out.hasRemaining()) {
      if (appIn.position() > 0) {
        drainInto(out);
      } else if (inputEnded) {
        break;
      } else if (netIn.position() > 0 && !underflow) {
        if (!unwrap()) {
          break; // the engine waits for its own output to go first
        }
      } else if (readFd || out.position() > 0) {
        break; // one fd read per call: what arrives later, epoll announces
      } else {
        readFd = true;
        if (!readFromFd()) {
          break;
        }
      }
    }
    return out.position();
  }

  /** The destination as a buffer, cleared; the shared read buffer's view is made once. */
  private ByteBuffer view(MemorySegment buffer) {
    if (buffer != readTarget) {
      readTarget = buffer;
      readView = buffer.asByteBuffer();
    }
    return readView.clear();
  }

  private void drainInto(ByteBuffer out) {
    appIn.flip();
    int n = Math.min(appIn.remaining(), out.remaining());
    out.put(out.position(), appIn, appIn.position(), n);
    out.position(out.position() + n);
    appIn.position(appIn.position() + n);
    appIn.compact();
  }

  /**
   * One read from the fd into {@link #netIn}.
   *
   * @return false when nothing came (would block, or end of stream)
   */
  private boolean readFromFd() {
    if (!netIn.hasRemaining()) {
      netIn = grown(netIn, engine.getSession().getPacketBufferSize());
    }
    long n;
    try {
      n =
          inner.read(
              MemorySegment.ofArray(netIn.array()).asSlice(netIn.position(), netIn.remaining()));
    } catch (OsException e) {
      if (handshakeDone) {
        throw e; // the connection's IO_ERROR, with its errno
      }
      throw new CommunicatorException(
          CommunicatorException.Kind.TLS_FAILED,
          e.errno(),
          "TLS with " + peer + " failed during the handshake: " + e.getMessage(),
          e);
    }
    if (n == Fd.WOULD_BLOCK) {
      return false;
    }
    if (n == 0) {
      if (!handshakeDone) {
        throw new CommunicatorException(
            CommunicatorException.Kind.TLS_FAILED,
            0,
            "TLS with "
                + peer
                + " failed during the handshake: the peer closed the connection before the"
                + " handshake completed (does it speak TLS, and accept TLS 1.2 or 1.3?)",
            null);
      }
      LOG.debug("TLS peer {} closed the connection without close_notify.", peer);
      inputEnded = true;
      return false;
    }
    netIn.position(netIn.position() + (int) n);
    underflow = false;
    return true;
  }

  /**
   * Decrypts from {@link #netIn} into {@link #appIn}, which is empty.
   *
   * @return false when the engine did nothing (it waits for its handshake output to be written)
   */
  private boolean unwrap() throws SSLException {
    netIn.flip();
    SSLEngineResult result;
    try {
      result = engine.unwrap(netIn, appIn);
    } finally {
      netIn.compact();
    }
    switch (result.getStatus()) {
      case OK -> {}
      case BUFFER_UNDERFLOW -> {
        underflow = true; // a partial record: the fd must deliver the rest
        if (!netIn.hasRemaining()) {
          netIn = grown(netIn, engine.getSession().getPacketBufferSize());
        }
      }
      case BUFFER_OVERFLOW ->
          appIn = grown(appIn, engine.getSession().getApplicationBufferSize()); // appIn is empty
      case CLOSED -> {
        LOG.debug("TLS peer {} closed the session (close_notify).", peer);
        closeNotified = true;
        inputEnded = true;
      }
    }
    handshakeStep(result);
    progress();
    return result.bytesConsumed() > 0
        || result.bytesProduced() > 0
        || result.getStatus() != SSLEngineResult.Status.OK;
  }

  @Override
  public long write(MemorySegment buffer) {
    return guarded(() -> encrypt(buffer));
  }

  /** Encrypts what the fd takes of {@code buffer} now; the handshake goes first. */
  private long encrypt(MemorySegment buffer) throws SSLException {
    progress();
    if (netOut.position() > 0 || !handshakeDone) {
      return Fd.WOULD_BLOCK; // the fd is full, or the handshake goes first
    }
    ByteBuffer in = buffer.asByteBuffer();
    while (in.hasRemaining()) {
      SSLEngineResult result = engine.wrap(in, netOut);
      handshakeStep(result);
      if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
        throw new CommunicatorException(
            CommunicatorException.Kind.TLS_FAILED,
            0,
            "TLS with " + peer + ": cannot write, the TLS session is closed",
            null);
      }
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        if (netOut.position() == 0) {
          netOut = grown(netOut, engine.getSession().getPacketBufferSize());
        } else if (!writeNetOut()) {
          break; // the fd is full: the rest when it is writable
        }
      } else if (result.bytesConsumed() == 0) {
        break;
      }
      if (result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
        progress(); // a TLS 1.3 key update, a post-handshake message
      }
    }
    writeNetOut();
    int consumed = in.position();
    return consumed == 0 ? Fd.WOULD_BLOCK : consumed;
  }

  @Override
  public void flush() {
    guarded(
        () -> {
          progress();
          return 0;
        });
  }

  /** One engine step for this connection. */
  @FunctionalInterface
  private interface EngineStep {
    long run() throws SSLException;
  }

  /** Runs a step: a TLS failure, or an engine fault a peer provoked, fails this connection only. */
  private long guarded(EngineStep step) {
    try {
      return step.run();
    } catch (SSLException e) {
      throw failure(e);
    } catch (CommunicatorException | OsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(new SSLException(e)); // an engine bug a peer found: its connection only
    }
  }

  @Override
  public boolean wantsWritable(boolean outputPending) {
    return netOut.position() > 0
        || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
        || (outputPending && handshakeDone);
  }

  @Override
  public boolean hasBufferedInput() {
    if (appIn.position() > 0) {
      return true;
    }
    if (inputEnded || netIn.position() < RECORD_HEADER) {
      return false;
    }
    int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
    return netIn.position() >= RECORD_HEADER + length; // a whole record, ready to decrypt
  }

  /**
   * Moves the handshake on as far as it goes without the peer: runs the delegated tasks, wraps what
   * the engine has to say, and writes it as far as the fd takes it.
   */
  private void progress() throws SSLException {
    while (writeNetOut()) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        runTasks();
      } else if (status == HandshakeStatus.NEED_WRAP) {
        SSLEngineResult result = engine.wrap(EMPTY, netOut);
        handshakeStep(result);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          if (netOut.position() == 0) {
            netOut = grown(netOut, engine.getSession().getPacketBufferSize());
          }
        } else if (result.bytesProduced() == 0) {
          return; // nothing more to say (closed)
        }
      } else {
        if (status == HandshakeStatus.NOT_HANDSHAKING
            && !handshakeDone
            && !engine.isOutboundDone()
            && !engine.isInboundDone()) {
          finished(); // ended after a delegated task, without a FINISHED result
        }
        return; // waiting for the peer, or done
      }
    }
  }

  /** Runs the engine's delegated tasks inline (see the class comment for why). */
  private void runTasks() {
    for (Runnable task = engine.getDelegatedTask();
        task != null;
        task = engine.getDelegatedTask()) {
      task.run();
    }
  }

  private void handshakeStep(SSLEngineResult result) {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshakeDone) {
      finished();
    }
  }

  /**
   * Sets what runs once the handshake is done, at once if it is. It runs in the middle of a read or
   * a write of this transport: it must not use the connection, only note or post.
   */
  void onEstablished(Runnable action) {
    onEstablished = action;
    if (handshakeDone) {
      action.run();
    }
  }

  private void finished() {
    handshakeDone = true;
    onEstablished.run();
    SSLSession session = engine.getSession();
    LOG.debug(
        "TLS with {}: {} {} established.", peer, session.getProtocol(), session.getCipherSuite());
  }

  /**
   * Writes {@link #netOut} as far as the fd takes it.
   *
   * @return true when it is empty
   */
  private boolean writeNetOut() {
    while (netOut.position() > 0) {
      long n = inner.write(MemorySegment.ofArray(netOut.array()).asSlice(0, netOut.position()));
      if (n == Fd.WOULD_BLOCK) {
        return false;
      }
      netOut.flip();
      netOut.position((int) n);
      netOut.compact();
    }
    return true;
  }

  /** A buffer of at least {@code size} and larger than {@code buffer}, holding its bytes. */
  private static ByteBuffer grown(ByteBuffer buffer, int size) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(size, buffer.capacity() * 2));
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  private CommunicatorException failure(SSLException e) {
    String what = handshakeDone ? "failed" : "failed during the handshake";
    String hint = "";
    if (causedBy(e, CertificateException.class)) {
      hint =
          "; the peer's certificate is not trusted: give its CA with"
              + " TlsSettings.Builder.trust(), or use mode SECURE to accept an unverified peer"
              + " with a warning";
    }
    return new CommunicatorException(
        CommunicatorException.Kind.TLS_FAILED,
        0,
        "TLS with " + peer + " " + what + ": " + e.getMessage() + hint,
        e);
  }

  private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends what the engine has left to say ({@code close_notify}, or the alert of a failed
   * handshake) as far as the fd takes it without waiting, then closes the transport underneath.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      engine.closeOutbound();
      for (int i = 0; i < CLOSING_WRAPS && writeNetOut(); i++) {
        SSLEngineResult result = engine.wrap(EMPTY, netOut);
        if (result.bytesProduced() == 0) {
          break;
        }
      }
      writeNetOut();
    } catch (SSLException | RuntimeException e) {
      // The peer is gone or the fd is full: it learns of the end from the fd closing.
      LOG.debug("TLS with {}: no close_notify sent: {}", peer, e.getMessage());
    } finally {
      inner.close();
    }
  }

  @Override
  public String toString() {
    return "TlsTransport("
        + peer
        + ", "
        + inner
        + (handshakeDone ? ", " + engine.getSession().getProtocol() : ", handshaking")
        + ")";
  }
}
