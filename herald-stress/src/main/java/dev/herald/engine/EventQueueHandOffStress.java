package dev.herald.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The engine queue's consumer hand-off (a Dekker pair): a producer puts a message while the
 * consumer, finding the queue empty, arms its wake-up. If the consumer decides to sleep, the
 * producer must have seen the request and woken it; otherwise the message waits with nobody awake.
 */
@JCStressTest
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "the consumer saw the message: no sleep")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the consumer sleeps and is woken")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "woken though it saw the message")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "lost wake-up: asleep beside a message")
@State
public class EventQueueHandOffStress {
  private final AtomicInteger woken = new AtomicInteger();
  private final EventQueue queue =
      new EventQueue(4, Overflow.BLOCK, "stress", woken::incrementAndGet);
  private boolean sleeps;

  /** One queue per state. */
  public EventQueueHandOffStress() {}

  /** A producer puts one message. */
  @Actor
  public void producer() {
    queue.put(new byte[] {1});
  }

  /** The consumer found the queue empty and asks to be woken before it would block. */
  @Actor
  public void consumer() {
    sleeps = queue.armWakeup();
  }

  /**
   * What the consumer decided, and whether it was woken.
   *
   * @param r (sleeps, woken)
   */
  @Arbiter
  public void outcome(ZZ_Result r) {
    r.r1 = sleeps;
    r.r2 = woken.get() > 0;
  }
}
