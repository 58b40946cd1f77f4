package dev.herald.nats;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The full window's wake-up (a Dekker pair): the publisher, finding two publishes in flight, asks
 * to be woken at one while an acknowledgement releases one. If the publisher decides to sleep, the
 * release must have seen it waiting and woken it; otherwise it sleeps beside a window with room.
 */
@JCStressTest
@Outcome(id = "false, false", expect = ACCEPTABLE, desc = "the publisher saw the room: no sleep")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the publisher sleeps and is woken")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "woken though it saw the room")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "lost wake-up: asleep beside room")
@State
public class PublishSlotsWakeUpStress {
  private final PublishSlots slots = new PublishSlots(2);
  private final long first;

  /** Two publishes in flight per state. */
  public PublishSlotsWakeUpStress() {
    first = slots.fill("s", 1, 0, 0);
    slots.fill("s", 2, 0, 0);
  }

  /**
   * The publisher: would it park?
   *
   * @param r r1: it must wait
   */
  @Actor
  public void publisher(ZZ_Result r) {
    r.r1 = slots.mustWait(1);
  }

  /**
   * An acknowledgement of the first publish: did it wake the publisher?
   *
   * @param r r2: it woke the publisher
   */
  @Actor
  public void acknowledgement(ZZ_Result r) {
    if (slots.claim(first)) {
      r.r2 = slots.release();
    }
  }
}
