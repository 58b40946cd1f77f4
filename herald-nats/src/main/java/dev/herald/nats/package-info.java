/**
 * Rings and engine events carried over NATS JetStream, so that programs on other machines read a
 * ring with the same API and engine applications on different hosts exchange events.
 */
package dev.herald.nats;
