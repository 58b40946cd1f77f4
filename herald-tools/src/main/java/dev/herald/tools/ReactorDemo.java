package dev.herald.tools;

import dev.herald.os.EventFd;
import dev.herald.os.Fd;
import dev.herald.os.SignalFd;
import dev.herald.os.Signals;
import dev.herald.os.SocketPair;
import dev.herald.os.TimerFd;
import dev.herald.reactor.EventManager;
import dev.herald.reactor.EventOps;
import dev.herald.reactor.EventSet;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.Events;
import dev.herald.reactor.RemoteEndpoint;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The herald-reactor part of {@code herald demo}: one event loop on its own thread with four
 * subscribers (an eventfd counter, a timerfd tick, a signal through signalfd, a socket-pair echo),
 * driven from the main thread through the remote endpoint.
 */
final class ReactorDemo {
  private final DemoLog log;

  ReactorDemo(DemoLog log) {
    this.log = log;
  }

  /** Counts the eventfd's increments. */
  private final class CounterSubscriber implements EventSubscriber {
    final EventFd counter = EventFd.create(EventFd.NONBLOCK);
    long total;

    @Override
    public void init(EventOps ops) {
      ops.add(Events.withData(counter, 1, EventSet.IN));
    }

    @Override
    public void process(Events events, EventOps ops) {
      long added = counter.take();
      total += added;
      log.line("eventfd", "counter +" + added + " = " + total + "   (" + events + ")");
    }
  }

  /** Ticks every 400 ms. */
  private final class TickSubscriber implements EventSubscriber {
    final TimerFd timer = TimerFd.create(TimerFd.Clock.MONOTONIC, TimerFd.NONBLOCK);
    long ticks;

    @Override
    public void init(EventOps ops) {
      timer.arm(Duration.ofMillis(400), Duration.ofMillis(400));
      ops.add(Events.withData(timer, 2, EventSet.IN));
    }

    @Override
    public void process(Events events, EventOps ops) {
      ticks += timer.expirations();
      log.line("timerfd", "tick #" + ticks);
    }
  }

  /** Receives SIGUSR1 sent to the loop thread. */
  private final class SignalSubscriber implements EventSubscriber {
    SignalFd signals;
    int loopThread;

    @Override
    public void init(EventOps ops) {
      // init runs on the loop thread (added through callBlocking): block the signal there.
      loopThread = Signals.threadId();
      signals = SignalFd.create(Signals.SIGUSR1);
      ops.add(Events.withData(signals, 3, EventSet.IN));
    }

    @Override
    public void process(Events events, EventOps ops) {
      SignalFd.Info info;
      while ((info = signals.take()) != null) {
        log.line(
            "signalfd",
            "SIGUSR"
                + (info.signal() == Signals.SIGUSR1 ? "1" : "?")
                + " from pid "
                + info.senderPid());
      }
    }
  }

  /** Echoes what arrives on its end of a socket pair, upper-cased. */
  private final class EchoSubscriber implements EventSubscriber {
    final SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, SocketPair.NONBLOCK);
    final Arena arena = Arena.ofShared();
    final MemorySegment buffer = arena.allocate(1024);

    @Override
    public void init(EventOps ops) {
      ops.add(Events.withData(pair.second(), 4, EventSet.of(EventSet.IN, EventSet.READ_HANG_UP)));
    }

    @Override
    public void process(Events events, EventOps ops) {
      if (events.eventSet().intersects(EventSet.of(EventSet.HANG_UP, EventSet.READ_HANG_UP))) {
        log.line("socket", "peer hung up: " + events.eventSet() + "; unregistering");
        ops.remove(events);
        return;
      }
      long n = pair.second().read(buffer);
      if (n <= 0) {
        return;
      }
      String text =
          new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
      log.line("socket", "echo \"" + text + "\"");
      MemorySegment reply = arena.allocateFrom(text.toUpperCase(), StandardCharsets.UTF_8);
      pair.second().write(reply.asSlice(0, reply.byteSize() - 1));
    }
  }

  /**
   * Runs the loop for about {@code duration}, driving it from this thread, then prints a summary.
   */
  void run(Duration duration) throws InterruptedException {
    log.heading("herald-reactor: one epoll loop, four subscribers, driven from another thread");
    EventManager<EventSubscriber> manager = new EventManager<>();
    RemoteEndpoint<EventSubscriber> remote = manager.remoteEndpoint();
    AtomicLong runs = new AtomicLong();
    Thread loop =
        Thread.ofPlatform()
            .name("herald-reactor-loop")
            .start(() -> runs.set(manager.runUntilStopped()));
    CounterSubscriber counter = new CounterSubscriber();
    TickSubscriber tick = new TickSubscriber();
    SignalSubscriber signal = new SignalSubscriber();
    EchoSubscriber echo = new EchoSubscriber();
    for (EventSubscriber s : new EventSubscriber[] {counter, tick, signal, echo}) {
      var id = remote.callBlocking(ops -> ops.addSubscriber(s));
      log.line("main", "added " + s.getClass().getSimpleName() + " as " + id);
    }
    int loopThread = remote.callBlocking(ops -> signal.loopThread);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment reply = arena.allocate(1024);
      String[] words = {"hello", "herald", "epoll", "goodbye"};
      long steps = Math.max(4, duration.toMillis() / 250);
      for (int step = 0; step < steps; step++) {
        Thread.sleep(250);
        switch (step % 4) {
          case 0 -> {
            int amount = step + 1;
            remote.fire(ops -> counter.counter.add(amount));
          }
          case 1 -> Signals.raise(loopThread, Signals.SIGUSR1);
          case 2 -> {
            String word = words[(step / 4) % words.length];
            MemorySegment text = arena.allocateFrom(word, StandardCharsets.UTF_8);
            echo.pair.first().write(text.asSlice(0, text.byteSize() - 1));
            long n = waitForReply(echo.pair.first(), reply);
            log.line(
                "main",
                "got echo \""
                    + new String(
                        reply.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)
                    + "\"");
          }
          default -> {
            var ids = remote.callBlocking(ops -> ops.subscriberIds());
            log.line("main", "asked the loop for its subscribers: " + ids);
          }
        }
      }
    }
    echo.pair.first().close();
    Thread.sleep(50);
    remote.stop();
    loop.join();
    manager.close();
    log.line(
        "summary",
        "counter total "
            + counter.total
            + ", "
            + tick.ticks
            + " ticks; the loop made "
            + runs.get()
            + " runs and returned cleanly through stop()");
    counter.counter.close();
    tick.timer.close();
    signal.signals.close();
    echo.pair.close();
    echo.arena.close();
  }

  /** Waits (briefly) for the echo on the driver's end of the pair. */
  private static long waitForReply(Fd end, MemorySegment buffer) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      long n = end.read(buffer);
      if (n > 0) {
        return n;
      }
      Thread.sleep(5);
    }
    return 0;
  }
}
