package dev.herald.nats;

/**
 * The counters of a {@link NatsBridge}. Every local event the bridge took for export ends up in
 * exactly one of {@code exported}, {@code dropped} or (for now) {@code pendingAcks}; events still
 * waiting in the bridge's engine queue are in {@code App.queueStats()} under the bridge's name.
 *
 * <pre>{@code
 * NatsBridgeStats s = bridge.stats();
 * System.out.println(s.exported() + " stored in JetStream, " + s.dropped() + " lost");
 * }</pre>
 *
 * @param exported events JetStream acknowledged (stored in the stream)
 * @param dropped events taken for export but not acknowledged: the acknowledgement failed or timed
 *     out (the server went away with them on the wire; a few of them may still have been stored),
 *     they were still queued when shutdown's drain time ran out, or they had several frames
 * @param pendingAcks events sent and awaiting their acknowledgement now
 * @param imported events read from the stream and published into the application
 */
public record NatsBridgeStats(long exported, long dropped, int pendingAcks, long imported) {}
