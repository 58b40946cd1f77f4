/**
 * Typed access to the payloads of Monad execution ({@link dev.herald.ring.ContentType#EXEC})
 * events: a zero-copy {@link dev.herald.ring.exec.ExecPayloadView} per payload struct for the hot
 * path, an immutable record per struct for keeping values, and {@link
 * dev.herald.ring.exec.ExecDecoder} to decode any event. A separate package because the 25 payload
 * types would otherwise bury the ring mechanics of {@code dev.herald.ring}.
 */
package dev.herald.ring.exec;
