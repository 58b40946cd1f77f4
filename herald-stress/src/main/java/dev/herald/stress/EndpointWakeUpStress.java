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
 * The remote endpoint's coalesced wake-up: a sender posts three closures while the loop runs twice.
 * Once both sides are done, one more run must find every closure, either already run or with a
 * wake-up still pending; a closure left queued with the eventfd at zero would wait for an unrelated
 * event. (A drain that cleared the pending flag before resetting the eventfd strands the third
 * closure when the second one's write lands between the two.)
 */
@JCStressTest
@Outcome(id = "3", expect = ACCEPTABLE, desc = "every closure ran, in the racing runs or the next")
@Outcome(expect = FORBIDDEN, desc = "a closure is stranded: queued with no wake-up pending")
@State
public class EndpointWakeUpStress {
  private final EventManager<EventSubscriber> manager = new EventManager<>();
  private final RemoteEndpoint<EventSubscriber> remote = manager.remoteEndpoint();
  private final AtomicInteger ran = new AtomicInteger();

  /** Creates one manager per state. */
  public EndpointWakeUpStress() {}

  /** Posts three closures from a thread outside the loop. */
  @Actor
  public void sender() {
    remote.fire(ops -> ran.incrementAndGet());
    remote.fire(ops -> ran.incrementAndGet());
    remote.fire(ops -> ran.incrementAndGet());
  }

  /** Two runs of the loop, racing with the sender. */
  @Actor
  public void loop() {
    manager.runWithTimeout(0);
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
