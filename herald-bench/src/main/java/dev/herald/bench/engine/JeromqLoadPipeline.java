package dev.herald.bench.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The baseline: upstream's load test written directly on JeroMQ, in two wirings. Upstream's: a
 * proxy thread forwards a SUB bound on {@code inproc://messages} (and TCP) to a PUB bound on {@code
 * inproc://events} (and TCP); producer, operator and accumulator threads each connect a PUB and a
 * SUB. Direct: each plugin binds its PUB and the next plugin's SUB connects to it (no proxy hop,
 * the fastest JeroMQ can do). PUB/SUB drops at the high-water marks, so to lose nothing the
 * accumulator returns credits and the producer keeps at most {@link #WINDOW} events in flight,
 * below every pipe's limit.
 */
final class JeromqLoadPipeline {
  // Measured: windows of 1,000, 10,000 and 100,000 (high-water marks raised to match) give the
  // same rate within noise, so the pipes' default limit of 1,000 stays.
  static final int WINDOW = 1_000;
  static final int CREDIT_EVERY = 100;
  static final int HWM = 1_000;
  private static final byte[] INITIAL = bytes("InitialMsgString");
  private static final byte[] OPERATOR = bytes("OperatorMsg");
  private static final byte[] CREDIT = bytes("Credit");
  private static final byte[] READY = bytes("CreditReady");

  private final long messages;
  private final byte[][] events;
  private volatile long accumulated = -1;

  JeromqLoadPipeline(long messages, int minSize, int maxSize) {
    this.messages = messages;
    this.events = new byte[maxSize - minSize + 1][];
    for (int i = 0; i < events.length; i++) {
      byte[] event = Arrays.copyOf(INITIAL, INITIAL.length + minSize + i);
      Arrays.fill(event, INITIAL.length, event.length, (byte) 'X');
      events[i] = event;
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Runs the pipeline to the end through upstream's proxy; returns the accumulator's sum.
   *
   * @param viaProxy true for upstream's architecture (every plugin talks to the proxy); false for
   *     the fastest JeroMQ wiring (each plugin's PUB bound, the next plugin's SUB connected to it)
   */
  long run(boolean viaProxy) throws InterruptedException {
    try (ZMQ.Context context = ZMQ.context(1)) {
      if (!viaProxy) {
        ZMQ.Socket producerPub = boundPub(context, "inproc://producer");
        ZMQ.Socket operatorPub = boundPub(context, "inproc://operator");
        ZMQ.Socket accumulatorPub = boundPub(context, "inproc://accumulator");
        List<Thread> plugins = new ArrayList<>();
        plugins.add(
            plugin(
                context,
                "accumulator",
                accumulatorPub,
                "inproc://operator",
                OPERATOR,
                this::accumulate));
        plugins.add(
            plugin(context, "operator", operatorPub, "inproc://producer", INITIAL, this::operate));
        plugins.add(
            plugin(
                context, "producer", producerPub, "inproc://accumulator", CREDIT, this::produce));
        for (Thread plugin : plugins) {
          plugin.join();
        }
        return accumulated;
      }
      ZMQ.Socket outgoing = context.socket(SocketType.PUB);
      outgoing.setSndHWM(HWM);
      outgoing.bind("tcp://127.0.0.1:" + FreeLoopbackPort.next());
      outgoing.bind("inproc://events");
      ZMQ.Socket incoming = context.socket(SocketType.SUB);
      incoming.setRcvHWM(HWM);
      incoming.subscribe(new byte[0]);
      incoming.bind("tcp://127.0.0.1:" + FreeLoopbackPort.next());
      incoming.bind("inproc://messages");
      ZMQ.Socket control = context.socket(SocketType.PAIR);
      control.bind("inproc://proxy-control");
      Thread proxy =
          Thread.ofPlatform()
              .name("jeromq-proxy")
              .start(
                  () -> {
                    ZMQ.Socket controlPeer = context.socket(SocketType.PAIR);
                    controlPeer.connect("inproc://proxy-control");
                    ZMQ.proxy(incoming, outgoing, null, controlPeer);
                    controlPeer.close();
                    incoming.close();
                    outgoing.close();
                  });
      List<Thread> plugins = new ArrayList<>();
      plugins.add(
          plugin(
              context,
              "accumulator",
              connectedPub(context),
              "inproc://events",
              OPERATOR,
              this::accumulate));
      plugins.add(
          plugin(
              context,
              "operator",
              connectedPub(context),
              "inproc://events",
              INITIAL,
              this::operate));
      plugins.add(
          plugin(
              context,
              "producer",
              connectedPub(context),
              "inproc://events",
              CREDIT,
              this::produce));
      for (Thread plugin : plugins) {
        plugin.join();
      }
      control.send(ZMQ.PROXY_TERMINATE, 0);
      proxy.join();
      control.close();
    }
    return accumulated;
  }

  private static ZMQ.Socket boundPub(ZMQ.Context context, String endpoint) {
    ZMQ.Socket pub = context.socket(SocketType.PUB);
    pub.setSndHWM(HWM);
    pub.bind(endpoint);
    return pub;
  }

  private static ZMQ.Socket connectedPub(ZMQ.Context context) {
    ZMQ.Socket pub = context.socket(SocketType.PUB);
    pub.setSndHWM(HWM);
    pub.connect("inproc://messages");
    return pub;
  }

  @FunctionalInterface
  private interface Body {
    void run(ZMQ.Socket pub, ZMQ.Socket sub);
  }

  private static Thread plugin(
      ZMQ.Context context,
      String name,
      ZMQ.Socket pub,
      String subscribeTo,
      byte[] filter,
      Body body) {
    ZMQ.Socket sub = context.socket(SocketType.SUB);
    sub.setRcvHWM(HWM);
    sub.subscribe(filter);
    sub.connect(subscribeTo);
    return Thread.ofPlatform()
        .name(name)
        .start(
            () -> {
              try {
                body.run(pub, sub);
              } finally {
                pub.close();
                sub.close();
              }
            });
  }

  private void produce(ZMQ.Socket pub, ZMQ.Socket sub) {
    // Subscriptions travel asynchronously: send empty warm-up events until one has gone all the
    // way through the operator to the accumulator.
    sub.setReceiveTimeOut(1);
    byte[] warmUp = INITIAL.clone();
    while (true) {
      pub.send(warmUp, 0);
      byte[] reply = sub.recv(0);
      if (reply != null && Arrays.equals(reply, READY)) {
        break;
      }
    }
    sub.setReceiveTimeOut(-1);
    long credited = 0;
    for (long sent = 0; sent < messages; sent++) {
      while (sent - credited >= WINDOW) {
        byte[] credit = sub.recv(0);
        if (!Arrays.equals(credit, READY)) {
          credited =
              Long.parseLong(
                  new String(
                      credit,
                      CREDIT.length,
                      credit.length - CREDIT.length,
                      StandardCharsets.US_ASCII));
        }
      }
      pub.send(events[(int) (sent % events.length)], 0);
    }
  }

  private void operate(ZMQ.Socket pub, ZMQ.Socket sub) {
    long real = 0;
    while (real < messages) {
      int length = sub.recv(0).length - INITIAL.length;
      if (length > 0) {
        real++;
      }
      byte[] length10 = Integer.toString(length).getBytes(StandardCharsets.US_ASCII);
      byte[] event = Arrays.copyOf(OPERATOR, OPERATOR.length + length10.length);
      System.arraycopy(length10, 0, event, OPERATOR.length, length10.length);
      pub.send(event, 0);
    }
  }

  private void accumulate(ZMQ.Socket pub, ZMQ.Socket sub) {
    // A lost event would hang the run: fail loudly instead.
    sub.setReceiveTimeOut(30_000);
    boolean ready = false;
    long count = 0;
    long sum = 0;
    while (count < messages) {
      byte[] event = sub.recv(0);
      if (event == null) {
        throw new IllegalStateException("the JeroMQ pipeline lost events: " + count + " arrived");
      }
      long length =
          Long.parseLong(
              new String(
                  event,
                  OPERATOR.length,
                  event.length - OPERATOR.length,
                  StandardCharsets.US_ASCII));
      if (length == 0) {
        if (!ready) {
          pub.send(READY, 0);
          ready = true;
        }
        continue;
      }
      count++;
      sum += length;
      if (count % CREDIT_EVERY == 0) {
        pub.send(bytes("Credit" + count), 0);
      }
    }
    accumulated = sum;
  }
}
