/**
 * Benchmarks of herald-reactor: the five upstream event-manager scenarios, and the same work on
 * {@link java.nio.channels.Selector} as the baseline, scored in nanoseconds per dispatched event.
 *
 * <pre>{@code
 * java -jar herald-bench/target/benchmarks.jar 'reactor.*' -prof gc
 * }</pre>
 */
package dev.herald.bench.reactor;
