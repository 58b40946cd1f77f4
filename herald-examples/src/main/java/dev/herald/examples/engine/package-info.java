/**
 * Upstream Tapis event-engine's example application and load test, ported to Herald's engine, and
 * the engine part of {@code herald demo}. These are programs built on {@code herald-engine}, not
 * part of it: the library jar carries none of them.
 *
 * <pre>{@code
 * ExampleApp.run(5559, 5560, 6000, System.out::println);   // needs /usr/bin/python3 with zmq
 * EngineDemo.run(Duration.ofSeconds(4), System.out);
 * }</pre>
 */
package dev.herald.examples.engine;
