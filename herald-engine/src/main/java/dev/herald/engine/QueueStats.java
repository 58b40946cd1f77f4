package dev.herald.engine;

/**
 * The counters of one plugin's queue.
 *
 * <pre>{@code
 * for (QueueStats s : app.queueStats()) {
 *   System.out.println(s.plugin() + " dropped " + s.dropped());
 * }
 * }</pre>
 *
 * @param plugin the plugin's name
 * @param external whether it is an external plugin
 * @param capacity how many events the queue holds
 * @param overflow what a full queue does
 * @param accepted events put in the queue so far
 * @param dropped events dropped because the queue was full
 * @param queued events in the queue now
 */
public record QueueStats(
    String plugin,
    boolean external,
    int capacity,
    Overflow overflow,
    long accepted,
    long dropped,
    int queued) {}
