package dev.herald.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.herald.reactor.EventManager;
import dev.herald.reactor.EventSubscriber;
import dev.herald.reactor.RemoteEndpoint;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The remote endpoint's coalesced wake-up: a sender posts two closures while the loop drains. Once
 * both sides are done, one more run must find every closure, either already run or with a wake-up
 * still pending; a closure left queued with the eventfd at zero would wait for an unrelated event.
 */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "both closures ran, in the racing run or the next")
@Outcome(expect = FORBIDDEN, desc = "a closure is stranded: queued with no wake-up pending")
@State
public class EndpointWakeUpStress {
  private final EventManager<EventSubscriber> manager = new EventManager<>();
  private final RemoteEndpoint<EventSubscriber> remote = manager.remoteEndpoint();
  private final AtomicInteger ran = new AtomicInteger();

  /** Creates one manager per state. */
  public EndpointWakeUpStress() {}

  /** Posts two closures from a thread outside the loop. */
  @Actor
  public void sender() {
    remote.fire(ops -> ran.incrementAndGet());
    remote.fire(ops -> ran.incrementAndGet());
  }

  /** One run of the loop, racing with the sender. */
  @Actor
  public void loop() {
    manager.runWithTimeout(0);
  }

  /**
   * One more run (it drains only if a wake-up is pending), then the count.
   *
   * @param r how many closures ran
   */
  @Arbiter
  public void settle(I_Result r) {
    manager.runWithTimeout(0);
    r.r1 = ran.get();
    manager.close();
  }
}
