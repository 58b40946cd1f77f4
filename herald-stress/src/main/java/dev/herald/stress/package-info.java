/**
 * jcstress tests of Herald's lock-free hand-offs: the remote endpoint's coalesced wake-up, the
 * ring's publication protocol and (in {@code dev.herald.engine}, beside the package-private queue)
 * the engine queue's consumer wake-up. Run with {@code bin/stress}.
 */
package dev.herald.stress;
