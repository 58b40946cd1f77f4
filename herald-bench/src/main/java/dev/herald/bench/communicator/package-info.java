/**
 * herald-communicator beside Netty 4.2 on loopback TCP: the same line protocol and the same
 * herald-dispatcher work on both sides, each server in a process of its own, one neutral client;
 * request/reply latency, pipelined throughput, and the cost of idle connections.
 *
 * <pre>{@code
 * bin/bench-communicator
 * }</pre>
 */
package dev.herald.bench.communicator;
