package dev.herald.nats;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * An acknowledgement racing the timeout of the same publish: exactly one of them completes it, the
 * acknowledger reads the fields the publisher wrote, and the window ends empty.
 */
@JCStressTest
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "acknowledged, with its key")
@Outcome(id = "-2, 1, 0", expect = ACCEPTABLE, desc = "timed out first")
@Outcome(id = "-2, 0, 0", expect = FORBIDDEN, desc = "nobody completed the publish")
@Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "completed twice")
@Outcome(expect = FORBIDDEN, desc = "a stale key, or a window left with a publish in flight")
@State
public class PublishSlotsClaimStress {
  private final PublishSlots slots = new PublishSlots(4);
  private final long id;
  private long acknowledgedKey = -2;
  private long timedOut;

  /** One publish in flight per state, sent at time 0 with key 1. */
  public PublishSlotsClaimStress() {
    id = slots.fill("s", 1, 0, 0);
  }

  /** The acknowledging thread: reads the publish's key, then claims it. */
  @Actor
  public void acknowledgement() {
    if (slots.holds(id)) {
      long key = slots.key(id);
      if (slots.claim(id)) {
        acknowledgedKey = key;
        slots.release();
      }
    }
  }

  /** The publishing thread: finds the publish overdue and claims it. */
  @Actor
  public void timeout() {
    if (slots.claimOverdue(Long.MAX_VALUE / 2, 1) == id) {
      timedOut = 1;
      slots.release();
    }
  }

  /**
   * Who completed the publish, and how many are left in flight.
   *
   * @param r the acknowledged key (-2: none), whether it timed out, publishes in flight
   */
  @Arbiter
  public void outcome(JJJ_Result r) {
    r.r1 = acknowledgedKey;
    r.r2 = timedOut;
    r.r3 = slots.inFlight();
  }
}
