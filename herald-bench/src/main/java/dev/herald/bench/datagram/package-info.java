/**
 * Datagram benchmarks of herald-communicator: the rate at which a datagram server receives, parses
 * and dispatches UDP messages from one sender, beside the same server written on {@code
 * java.nio.channels.DatagramChannel} and a {@code Selector}, in the same run.
 *
 * <pre>{@code
 * java -jar herald-bench/target/benchmarks.jar 'datagram\..*'
 * }</pre>
 */
package dev.herald.bench.datagram;
