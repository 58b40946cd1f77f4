package dev.herald.bench.datagram;

import dev.herald.communicator.Communicator;
import dev.herald.communicator.DatagramConnection;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.MessageParser;
import dev.herald.os.SocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * UDP message rate, one sender and one server on loopback: the benchmark thread sends {@value
 * #BATCH} message datagrams per invocation through a blocking {@link DatagramChannel}, keeping at
 * most {@value #WINDOW} in flight (UDP has no back-pressure: more would overflow the receive buffer
 * and be lost), and the invocation ends when the server has dispatched them all. The server runs on
 * its own thread and does the same work either way: receive a datagram, parse it with
 * herald-dispatcher's parser, dispatch it to a {@link Dispatcher} whose callback counts it.
 *
 * <ul>
 *   <li>{@code herald}: a {@link DatagramConnection} in a {@link Communicator}.
 *   <li>{@code nio}: a non-blocking {@link DatagramChannel} in a {@link Selector} loop, draining
 *       the channel at each wake-up, as one would write it on the JDK today.
 * </ul>
 *
 * <p>The score is messages per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class UdpMessageRateBenchmark {
  static final int BATCH = 10_000;
  static final int WINDOW = 64;

  private static final byte[] MESSAGE =
      "<client:bench snap:cluckd/EVENT id=42;severity=info;text=\"disk full; retrying\""
          .getBytes(StandardCharsets.US_ASCII);

  @Param({"herald", "nio"})
  public String server;

  private final AtomicLong dispatched = new AtomicLong();
  private Server running;
  private DatagramChannel sender;
  private final ByteBuffer datagram = ByteBuffer.wrap(MESSAGE);

  /** A server on its own thread. */
  private interface Server {
    InetSocketAddress address();

    void close() throws Exception;
  }

  private Dispatcher counting() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.addMatch(DispatcherMatch.command("EVENT", m -> dispatched.incrementAndGet()));
    return dispatcher;
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    running = server.equals("herald") ? new HeraldServer(counting()) : new NioServer(counting());
    sender = DatagramChannel.open();
    sender.connect(running.address());
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    sender.close();
    running.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long messages() throws IOException {
    long start = dispatched.get();
    for (int n = 1; n <= BATCH; n++) {
      while (n - (dispatched.get() - start) > WINDOW) {
        Thread.onSpinWait();
      }
      datagram.clear();
      sender.write(datagram);
    }
    while (dispatched.get() - start < BATCH) {
      Thread.onSpinWait();
    }
    return dispatched.get();
  }

  /** Herald: a datagram connection in a communicator. */
  private static final class HeraldServer implements Server {
    private final Communicator communicator = new Communicator();
    private final DatagramConnection connection;
    private final Thread thread;

    HeraldServer(Dispatcher dispatcher) {
      connection =
          DatagramConnection.listen(
              communicator, "bench", SocketAddress.parse("127.0.0.1:0"), dispatcher);
      thread = Thread.ofPlatform().name("herald-server").start(communicator::run);
    }

    @Override
    public InetSocketAddress address() {
      SocketAddress.Inet4 at = (SocketAddress.Inet4) connection.address();
      return new InetSocketAddress(at.toInetAddress(), at.port());
    }

    @Override
    public void close() throws InterruptedException {
      communicator.post(connection::close);
      thread.join();
      communicator.close();
    }
  }

  /** The JDK: a non-blocking channel in a selector loop. */
  private static final class NioServer implements Server {
    private final DatagramChannel channel;
    private final Selector selector;
    private final MessageParser parser = new MessageParser();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
    private final byte[] bytes = new byte[1024];
    private final Dispatcher dispatcher;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean stopping;

    NioServer(Dispatcher dispatcher) throws IOException {
      this.dispatcher = dispatcher;
      channel = DatagramChannel.open();
      channel.bind(new InetSocketAddress("127.0.0.1", 0));
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      Thread.ofPlatform().name("nio-server").start(this::run);
    }

    private void run() {
      try {
        while (!stopping) {
          selector.select();
          selector.selectedKeys().clear();
          while (channel.receive(buffer.clear()) != null) {
            int length = buffer.flip().remaining();
            buffer.get(bytes, 0, length);
            dispatcher.dispatchMessage(parser.parse(bytes, 0, length));
          }
        }
        ended.complete(null);
      } catch (IOException | RuntimeException e) {
        ended.completeExceptionally(e);
      }
    }

    @Override
    public InetSocketAddress address() {
      try {
        return (InetSocketAddress) channel.getLocalAddress();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws Exception {
      stopping = true;
      selector.wakeup();
      ended.get(10, TimeUnit.SECONDS);
      selector.close();
      channel.close();
    }
  }
}
