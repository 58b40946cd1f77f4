/**
 * A shared-memory broadcast event ring, byte-compatible with the Monad execution daemon's {@code
 * RING01} rings: {@link dev.herald.ring.RingWriter}, {@link dev.herald.ring.EventRing} and its
 * readers, liveness and zstd snapshots.
 */
// aircompressor (zstd) ships no module descriptor: it is required by its automatic name.
@SuppressWarnings("requires-automatic")
module dev.herald.ring {
  requires transitive dev.herald.reactor;
  requires aircompressor;

  exports dev.herald.ring;
  exports dev.herald.ring.exec;
}
