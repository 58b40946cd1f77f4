/**
 * Benchmarks of herald-dispatcher: parsing and writing eventdispatcher messages (string and JSON
 * forms) beside Jackson reading and writing the same content as JSON, in the same run.
 *
 * <pre>{@code
 * java -jar herald-bench/target/benchmarks.jar 'dispatcher\..*' -prof gc
 * }</pre>
 */
package dev.herald.bench.dispatcher;
