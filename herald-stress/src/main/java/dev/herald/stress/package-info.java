/**
 * jcstress tests of Herald's lock-free hand-offs: the remote endpoint's coalesced wake-up, the
 * ring's publication protocol, (in {@code dev.herald.engine}, beside the package-private queue) the
 * engine queue's consumer wake-up, and (in {@code dev.herald.nats}) the JetStream publish window's
 * acknowledgement-or-timeout claim and its publisher's wake-up. Run with {@code bin/stress}.
 */
package dev.herald.stress;
