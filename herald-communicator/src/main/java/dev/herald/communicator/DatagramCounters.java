package dev.herald.communicator;

/**
 * What a {@link DatagramConnection} counted since it was opened: datagrams received, dispatched,
 * and dropped for each reason, and sends that failed. A dropped datagram never stops the
 * connection; these counters (and the log) are how it shows.
 *
 * <pre>{@code
 * DatagramCounters counted = server.counters();
 * if (counted.wrongSecretCode() > 0) {
 *   LOG.warn("{} datagrams without the right secret code", counted.wrongSecretCode());
 * }
 * }</pre>
 *
 * @param received datagrams read from the socket
 * @param dispatched messages handed to the dispatcher
 * @param wrongSecretCode messages dropped for a missing or different {@code secret_code}
 * @param malformed datagrams dropped because they are not a message
 * @param tooLarge datagrams dropped because they are longer than the connection's maximum size
 * @param sendFailures datagrams this connection could not send (refused by the kernel, or dropped
 *     because too many were waiting for the socket)
 */
public record DatagramCounters(
    long received,
    long dispatched,
    long wrongSecretCode,
    long malformed,
    long tooLarge,
    long sendFailures) {}
