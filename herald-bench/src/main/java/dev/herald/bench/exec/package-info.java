/**
 * Benchmarks of herald-ring's EXEC decoding over the upstream 30-block snapshot (136,891 events):
 * the flyweight payload views, the immutable records and block assembly, beside a plain {@link
 * java.nio.ByteBuffer} decoder of the same fields written the obvious way (copy the payload, wrap
 * it, read at offsets). The snapshot is found by searching upward from the working directory for
 * the upstream test data ({@code shared/data/monad}), or named by {@code -Dherald.exec.snapshot}.
 *
 * <pre>{@code
 * java -jar herald-bench/target/benchmarks.jar 'exec\..*' -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * }</pre>
 */
package dev.herald.bench.exec;
