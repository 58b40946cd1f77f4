/**
 * Herald beyond one machine, on NATS JetStream: ring export and import, and an engine bridge. See
 * {@link dev.herald.nats}.
 */
module dev.herald.nats {
  requires transitive dev.herald.ring;
  requires transitive dev.herald.engine;
  requires transitive io.nats.jnats;

  exports dev.herald.nats;
}
