/**
 * Benchmarks of herald-ring beside Agrona's {@code BroadcastTransmitter}/{@code BroadcastReceiver}
 * on the same payloads, both on files mapped from {@code /dev/shm}: writer cost per event, reader
 * throughput, and (with {@link dev.herald.bench.ring.CrossProcessLatency}) writer-to-reader latency
 * across two processes.
 *
 * <pre>{@code
 * java -jar herald-bench/target/benchmarks.jar 'ring\..*' -f 1 -wi 3 -i 5 -w 1s -r 1s
 * java -cp herald-bench/target/benchmarks.jar dev.herald.bench.ring.CrossProcessLatency
 * }</pre>
 */
package dev.herald.bench.ring;
