/**
 * Benchmarks of herald-engine: upstream's three-plugin load test on Herald beside the same pipeline
 * written directly on JeroMQ sockets (upstream's architecture), and external-plugin round trips
 * through the Python helper beside a bare JeroMQ REP answering the same requests.
 *
 * <pre>{@code
 * java -jar herald-bench/target/benchmarks.jar 'engine.*' -f 1 -wi 3 -i 5 -w 1s -r 1s
 * java -cp herald-bench/target/benchmarks.jar dev.herald.bench.engine.PythonRoundTrips
 * }</pre>
 */
package dev.herald.bench.engine;
