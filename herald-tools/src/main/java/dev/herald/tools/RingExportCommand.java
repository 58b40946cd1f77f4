package dev.herald.tools;

import dev.herald.nats.NatsException;
import dev.herald.nats.RingExport;
import dev.herald.nats.RingStream;
import dev.herald.nats.StreamSpec;
import dev.herald.nats.TransferStats;
import dev.herald.ring.EventRing;
import dev.herald.ring.FollowFrom;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald ring export}: a ring (live or a snapshot) published to a JetStream stream, one
 * message per event, resuming where the stream ends.
 *
 * <pre>{@code
 * bin/herald ring export --nats nats://10.0.0.5:4222 --stream exec /dev/shm/monad-exec-events
 * }</pre>
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Publishes every event of a ring (live or a zstd snapshot) to a JetStream stream, one"
            + " message per event, creating the stream if it is absent. Resumes after the last"
            + " event the stream holds from this ring; events the ring lost become gap markers."
            + " Runs until the ring's writer is gone and every event is acknowledged, or until"
            + " Ctrl-C/SIGTERM (then it waits for the acknowledgements in flight and exits 0)."
            + " Prints rates on stderr every second.")
final class RingExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NatsOptions nats;

  @Option(names = "--subject", description = "Subject to publish on (default: herald.ring.STREAM).")
  String subject;

  @Option(
      names = "--replicas",
      defaultValue = "1",
      converter = Bounds.AtLeastOne.class,
      description = "Replicas of the stream when it is created (1 to 5).")
  long replicas;

  @Option(
      names = "--from",
      defaultValue = "oldest",
      description =
          "Where to start when the stream holds no event of this ring: oldest (everything the"
              + " ring still holds) or newest.")
  String from;

  @Option(
      names = "--window",
      defaultValue = "1024",
      converter = Bounds.AtLeastOne.class,
      description = "Most publishes awaiting acknowledgement at once.")
  long window;

  @Parameters(index = "0", description = "Ring file or zstd snapshot.")
  Path path;

  @Override
  public Integer call() {
    StreamSpec stream = streamSpec();
    FollowFrom start = followFrom();
    ShutdownGate gate = ShutdownGate.install();
    try (gate;
        EventRing ring = RingCommand.open(path)) {
      Connection nc = nats.connect("herald ring export");
      TransferStats end;
      try {
        RingExport export =
            new RingExport(
                nc, RingStream.ensure(nc, stream), ring, start, (int) Math.min(window, 1 << 20));
        System.err.printf(
            "exporting %s (ring %s) to stream %s, subject %s%n",
            path, export.identity().id(), stream.name(), stream.subject());
        try (RateLines _ = RateLines.start("", export::stats, System.err)) {
          end = export.run(() -> !gate.stopRequested());
        }
      } finally {
        NatsOptions.close(nc);
      }
      System.err.printf(
          "%d events exported to stream %s, %d gap markers, %d retries%n",
          end.events(), stream.name(), end.gaps(), end.retries());
    }
    gate.exitZeroIfSignalled(); // the ring is unmapped and the connection closed
    return 0;
  }

  private StreamSpec streamSpec() {
    if (replicas > 5) {
      throw usage("--replicas " + replicas + " is out of range: JetStream keeps 1 to 5 copies");
    }
    try {
      return new StreamSpec(
          nats.stream,
          subject != null ? subject : StreamSpec.defaultSubject(nats.stream),
          (int) replicas);
    } catch (NatsException e) {
      throw usage(e.getMessage());
    }
  }

  private FollowFrom followFrom() {
    return switch (from) {
      case "oldest" -> FollowFrom.OLDEST;
      case "newest" -> FollowFrom.NEWEST;
      default -> throw usage("--from '" + from + "' is neither oldest nor newest");
    };
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
