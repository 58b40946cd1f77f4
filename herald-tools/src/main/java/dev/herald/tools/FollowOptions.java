package dev.herald.tools;

import dev.herald.ring.FollowFrom;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the commands that follow a ring ({@code ring watch}, {@code ring blocks}). */
final class FollowOptions {
  @Option(
      names = {"-a", "--from-start"},
      description =
          "Live rings: start at the oldest event still held (descriptor and payload), not "
              + "the newest, and resume at the oldest still held after a gap. Snapshots are "
              + "always replayed from their oldest event to their end.")
  private boolean fromStart;

  @Option(
      names = {"-n", "--count"},
      converter = Bounds.AtLeastOne.class,
      description =
          "Stop after printing this many records: events for watch, block updates for blocks "
              + "(default: no limit).")
  private Long count;

  @Option(
      names = "--period-ms",
      defaultValue = "1",
      converter = Bounds.AtLeastOne.class,
      description = "Timer period while idle, in ms (default: ${DEFAULT-VALUE}).")
  private long periodMillis;

  /** Where a live ring is followed from. */
  FollowFrom from() {
    return fromStart ? FollowFrom.OLDEST : FollowFrom.NEWEST;
  }

  /** How many records to print at most; {@code Long.MAX_VALUE} for no limit. */
  long limit() {
    return count == null ? Long.MAX_VALUE : count;
  }

  /** The follower's timer period while the ring is idle. */
  Duration period() {
    return Duration.ofMillis(periodMillis);
  }
}
