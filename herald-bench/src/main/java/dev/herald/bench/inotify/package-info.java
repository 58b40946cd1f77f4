/**
 * Benchmarks of herald-communicator's file-change connection: the latency from a file write to the
 * handler, beside the JDK's {@code WatchService} doing the same in the same run.
 *
 * <pre>{@code
 * java -cp herald-bench/target/benchmarks.jar dev.herald.bench.inotify.FileChangeLatency
 * }</pre>
 */
package dev.herald.bench.inotify;
