/**
 * herald-nats beside bare jnats through one local nats-server: a ring exported to JetStream and
 * imported into a replica ring, against a JetStream publish and consume loop moving the same bytes;
 * events per second and commit-to-replica latency.
 *
 * <pre>{@code
 * bin/bench-nats
 * }</pre>
 */
package dev.herald.bench.nats;
