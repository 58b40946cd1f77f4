package dev.herald.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.os.Fd;
import org.junit.jupiter.api.Test;

/** Upstream's events.rs tests and doctests, plus the EventSet contract. */
class EventsAndEventSetTest {
  private static final Fd FD = Fd.of(7);

  @Test
  void emptyEvents() {
    assertEquals(Events.empty(FD), Events.empty(7));
    Events e = Events.empty(FD);
    assertTrue(e.eventSet().isEmpty());
    assertEquals(0, e.data());
    assertEquals(7, e.fd());
  }

  @Test
  void eventsWithoutData() {
    assertEquals(Events.of(FD, EventSet.IN), Events.of(7, EventSet.IN));
    Events e = Events.of(FD, EventSet.IN);
    assertEquals(0, e.data());
    assertEquals(7, e.fd());
    assertEquals(EventSet.IN, e.eventSet());
    assertEquals(Events.of(FD, EventSet.IN), Events.withData(FD, 0, EventSet.IN));
  }

  @Test
  void eventsWithData() {
    assertNotEquals(Events.withData(7, 42, EventSet.IN), Events.withData(FD, 43, EventSet.IN));
    assertEquals(42, Events.withData(7, 42, EventSet.IN).data());
    assertEquals(43, Events.withData(FD, 43, EventSet.IN).data());
  }

  @Test
  void dataUsesTheFullUnsignedRangeAndNegativeFdsDoNotCorruptIt() {
    Events max = Events.withData(7, 0xFFFF_FFFF, EventSet.IN);
    assertEquals(0xFFFF_FFFFL, Integer.toUnsignedLong(max.data()));
    assertEquals(0xFFFF_FFFF_0000_0007L, max.epollData());
    // Upstream sign-extends the fd into the data half; Herald masks it (spec §7.1).
    Events negative = Events.withData(-1, 5, EventSet.IN);
    assertEquals(0x0000_0005_FFFF_FFFFL, negative.epollData());
    assertEquals(5, negative.data());
    assertEquals(-1, negative.fd());
    assertTrue(max.toString().contains("data=4294967295"), max.toString());
  }

  @Test
  void eventSetCarriesTheLinuxBitValues() {
    assertEquals(0x1, EventSet.IN.bits());
    assertEquals(0x2, EventSet.PRIORITY.bits());
    assertEquals(0x4, EventSet.OUT.bits());
    assertEquals(0x8, EventSet.ERROR.bits());
    assertEquals(0x10, EventSet.HANG_UP.bits());
    assertEquals(0x2000, EventSet.READ_HANG_UP.bits());
    assertEquals(0x1000_0000, EventSet.EXCLUSIVE.bits());
    assertEquals(0x2000_0000, EventSet.WAKE_UP.bits());
    assertEquals(0x4000_0000, EventSet.ONE_SHOT.bits());
    assertEquals(0x8000_0000, EventSet.EDGE_TRIGGERED.bits());
    assertEquals(0xF000_201F, EventSet.all().bits());
    assertEquals(0, EventSet.empty().bits());
  }

  @Test
  void eventSetOperations() {
    EventSet inHup = EventSet.of(EventSet.IN, EventSet.HANG_UP);
    assertEquals("IN | HANG_UP", inHup.toString());
    assertEquals("(empty)", EventSet.empty().toString());
    assertTrue(inHup.contains(EventSet.IN));
    assertFalse(inHup.contains(EventSet.of(EventSet.IN, EventSet.OUT)));
    assertTrue(inHup.intersects(EventSet.of(EventSet.IN, EventSet.OUT)));
    assertFalse(inHup.intersects(EventSet.OUT));
    assertSame(EventSet.IN, inHup.minus(EventSet.HANG_UP));
    assertSame(inHup, EventSet.IN.union(EventSet.HANG_UP));
    assertSame(EventSet.empty(), EventSet.of());
    assertEquals(
        "IN | PRIORITY | OUT | ERROR | HANG_UP | READ_HANG_UP | EXCLUSIVE | WAKE_UP | ONE_SHOT |"
            + " EDGE_TRIGGERED",
        EventSet.all().toString());
    for (int i = 0; i < 1024; i++) {
      // Every combination round-trips through its bits.
      EventSet set = EventSet.fromBits(expand(i));
      assertSame(set, EventSet.fromBits(set.bits()));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EventSet.fromBits(0x40));
    assertTrue(e.getMessage().contains("0x40"));
  }

  private static int expand(int index) {
    int[] flags = {0x1, 0x2, 0x4, 0x8, 0x10, 0x2000, 1 << 28, 1 << 29, 1 << 30, 1 << 31};
    int bits = 0;
    for (int f = 0; f < flags.length; f++) {
      if ((index & (1 << f)) != 0) {
        bits |= flags[f];
      }
    }
    return bits;
  }

  @Test
  void subscriberIdsStartAtOne() {
    assertThrows(IllegalArgumentException.class, () -> new SubscriberId(0));
    assertEquals("SubscriberId(3)", new SubscriberId(3).toString());
    assertEquals(new SubscriberId(3), new SubscriberId(3));
  }
}
