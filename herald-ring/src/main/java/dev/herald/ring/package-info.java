/**
 * A shared-memory broadcast event ring, byte-compatible with the Monad execution daemon's {@code
 * RING01} rings: {@link dev.herald.ring.RingWriter} creates a ring file and records events from any
 * number of threads; {@link dev.herald.ring.EventRing} maps it read-only in any process and {@link
 * dev.herald.ring.EventReader}s follow it lock-free; {@link dev.herald.ring.RingLiveness} finds the
 * writer; {@link dev.herald.ring.RingSnapshots} reads and writes zstd snapshots; {@link
 * dev.herald.ring.RingFollower} and {@link dev.herald.ring.RingSubscriber} follow a ring without
 * busy-spinning.
 *
 * <pre>{@code
 * try (EventRing ring = EventRing.openSnapshot(Path.of("emn-1b-15m.snapshot"), ContentType.EXEC)) {
 *   new RingFollower(ring, (r, d) -> System.out.println(ContentType.EXEC.kind(d.eventType())))
 *       .follow(Duration.ofMillis(1), () -> true);
 * }
 * }</pre>
 */
package dev.herald.ring;
