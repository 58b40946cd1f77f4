package dev.herald.tools;

import dev.herald.nats.NatsException;
import dev.herald.nats.RingImport;
import dev.herald.nats.RingStream;
import dev.herald.nats.StreamSpec;
import dev.herald.nats.TransferStats;
import dev.herald.ring.RingSize;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald ring import}: a replica ring written from a stream that {@code ring export} fills.
 *
 * <pre>{@code
 * bin/herald ring import --nats nats://10.0.0.5:4222 --stream exec /dev/shm/exec-replica
 * bin/herald ring watch /dev/shm/exec-replica
 * }</pre>
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Writes a replica ring from a stream that 'ring export' fills, starting at the stream's"
            + " first message with a durable consumer: the same content type, schema hash and"
            + " sizes as the source (unless --size), each event's type, payload, flow tags and"
            + " record time; a gap marker becomes a RECORD_ERROR MISSING_EVENT event. Keeps the"
            + " file when it stops (Ctrl-C/SIGTERM, or --until-idle). Prints rates on stderr"
            + " every second.")
final class RingImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NatsOptions nats;

  @Option(
      names = "--durable",
      defaultValue = "herald-import",
      description = "The durable consumer's name (started over at each run).")
  String durable;

  @Option(
      names = "--size",
      converter = RingSizeOption.class,
      paramLabel = "DESC_SHIFT:PAYLOAD_SHIFT",
      description = "The replica's sizes as shifts, e.g. 20:30 (default: the source ring's).")
  RingSize size;

  @Option(
      names = "--until-idle",
      converter = Bounds.AtLeastOne.class,
      paramLabel = "SECONDS",
      description =
          "Stop once everything the stream holds is written and no message came for this long"
              + " (default: run until stopped).")
  Long untilIdle;

  @Option(
      names = "--batch",
      defaultValue = "256",
      converter = Bounds.AtLeastOne.class,
      description = "Most messages pulled at once; the consumer holds at most twice as many.")
  long batch;

  @Parameters(index = "0", description = "The replica ring file to write.")
  Path path;

  @Override
  public Integer call() {
    try {
      StreamSpec.of(nats.stream); // checks the name
    } catch (NatsException e) {
      throw usage(e.getMessage());
    }
    if (!durable.matches("[A-Za-z0-9_-]+")) {
      throw usage("--durable '" + durable + "' is not valid: use letters, digits, '-' and '_'");
    }
    ShutdownGate gate = ShutdownGate.install();
    try (gate) {
      Connection nc = nats.connect("herald ring import");
      TransferStats end;
      try {
        RingImport importer;
        try {
          importer =
              new RingImport(
                  nc,
                  RingStream.existing(nc, nats.stream),
                  durable,
                  path,
                  size,
                  (int) Math.min(batch, 1 << 16));
        } catch (NatsException e) {
          if (e.kind() == NatsException.Kind.CONFIGURATION) {
            throw usage(e.getMessage());
          }
          throw e;
        }
        System.err.printf("importing stream %s into %s%n", nats.stream, path);
        try (RateLines _ = RateLines.start("", importer::stats, System.err)) {
          end =
              importer.run(
                  () -> !gate.stopRequested(),
                  untilIdle == null ? null : Duration.ofSeconds(untilIdle));
        }
      } finally {
        NatsOptions.close(nc);
      }
      System.err.printf(
          "%d events imported into %s, %d missing-event records%n", end.events(), path, end.gaps());
    }
    gate.exitZeroIfSignalled(); // the replica is closed and kept, the connection closed
    return 0;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
