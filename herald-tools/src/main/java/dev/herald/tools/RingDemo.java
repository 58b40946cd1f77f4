package dev.herald.tools;

import dev.herald.reactor.EventManager;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.RemoteEndpoint;
import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.RingEventHandler;
import dev.herald.ring.RingFollower;
import dev.herald.ring.RingSize;
import dev.herald.ring.RingSubscriber;
import dev.herald.ring.RingWriter;
import dev.herald.ring.TestCounter;
import dev.herald.ring.TestEventType;
import dev.herald.ring.WriterState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The herald-ring part of {@code herald demo}: a writer thread records paced {@code TEST_COUNTER}
 * events into a RING01 file in {@code /dev/shm}; a reader follows it from a herald-reactor loop (a
 * {@link RingSubscriber} on a 1 ms timerfd), checks that every counter arrives in order, and sees
 * the writer go away when it closes the ring.
 */
final class RingDemo {
  /** Paced so that the reader keeps up on any machine; the benchmarks show the unpaced figures. */
  private static final long EVENTS_PER_SECOND = 200_000;

  private final DemoLog log;

  RingDemo(DemoLog log) {
    this.log = log;
  }

  /** Checks the counters on the loop thread: consecutive unless a gap was reported. */
  private static final class CounterCheck implements RingEventHandler {
    long last;
    long outOfOrder;
    long expired;

    @Override
    public void onEvent(EventRing ring, EventDescriptor d) {
      if (d.eventType() != TestEventType.TEST_COUNTER.code()) {
        return;
      }
      long counter = TestCounter.read(ring.payload(d)).counter();
      if (!ring.payloadValid(d)) {
        expired++; // the writer reused the bytes while we read them: the value is not trusted
        return;
      }
      if (counter != last + 1) {
        outOfOrder++;
      }
      last = counter;
    }

    @Override
    public void onGap(long expectedSeqno, long lastSeqno) {
      last = 0; // resynchronised at the newest event: the next counter starts a new run
    }
  }

  void run(Duration duration) throws InterruptedException {
    Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of("/tmp");
    Path path = dir.resolve("herald-demo-ring-" + ProcessHandle.current().pid());
    RingWriter writer = RingWriter.create(path, ContentType.TEST, RingSize.ofShifts(16, 27));
    log.line("ring", "writer created " + path + " (RING01, TEST content, 65,536 descriptors)");
    AtomicBoolean writing = new AtomicBoolean(true);
    try (EventRing ring = EventRing.open(path, ContentType.TEST);
        EventManager<EventSubscriber> loop = new EventManager<>()) {
      CounterCheck check = new CounterCheck();
      RingFollower follower = new RingFollower(ring, check);
      RingSubscriber reader = new RingSubscriber(follower, Duration.ofMillis(1), 65_536);
      loop.addSubscriber(reader);
      RemoteEndpoint<EventSubscriber> endpoint = loop.remoteEndpoint();
      log.line("ring", "reader mapped it read-only; a timerfd drives it from the reactor loop");

      Thread loopThread =
          Thread.ofPlatform()
              .name("ring-demo-loop")
              .start(
                  () -> {
                    while (reader.writerState() == WriterState.ALIVE) {
                      loop.runWithTimeout(100);
                    }
                  });
      Thread writerThread =
          Thread.ofPlatform()
              .name("ring-demo-writer")
              .start(
                  () ->
                      CounterRecorder.record(
                          writer, 1, EVENTS_PER_SECOND, -1, duration, writing::get));

      try {
        long[] lastEvents = {0};
        long[] lastAt = {System.nanoTime()};
        while (writerThread.isAlive() && loopThread.isAlive()) {
          writerThread.join(500);
          // The follower belongs to the loop thread: read its figures there.
          String status =
              endpoint.callBlocking(
                  ops -> {
                    long now = System.nanoTime();
                    long events = follower.events();
                    double rate = (events - lastEvents[0]) * 1e9 / (now - lastAt[0]);
                    lastEvents[0] = events;
                    lastAt[0] = now;
                    return String.format(
                        "read %,10d events, %,9.0f events/s, lag %,6d, %d gaps, %d out of order",
                        events, rate, follower.reader().lag(), follower.gaps(), check.outOfOrder);
                  });
          log.line("ring", status);
        }
        writer.close(); // releases the flock and unlinks the file: readers learn the writer is gone
        log.line(
            "ring", "writer closed after " + String.format("%,d", ring.lastSeqno()) + " events");
        loopThread.join();
        log.line(
            "ring",
            String.format(
                "reader saw the writer %s and stopped: %,d events, last counter %,d, %d expired",
                reader.writerState(), follower.events(), check.last, check.expired));
        reader.close();
      } finally {
        // Interrupted (Ctrl-C): stop the writer thread before its mapping goes, remove the file,
        // and let the loop thread see the writer gone before the reader's mapping goes too.
        writing.set(false);
        joinUninterruptibly(writerThread);
        writer.close();
        joinUninterruptibly(loopThread);
      }
    } finally {
      writer.close(); // idempotent: here for a failure before the threads started
    }
  }

  /** Joins {@code t}; an interrupt meanwhile is kept for the caller. */
  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
