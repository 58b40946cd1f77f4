package dev.herald.nats;

/**
 * Where an exporter or importer stands, sampled at one moment: the command line prints a line of
 * these once a second, with the rate computed from two samples.
 *
 * <pre>{@code
 * TransferStats before = export.stats();
 * Thread.sleep(1000);
 * System.err.println(export.stats().line(before, 1_000_000_000L));
 * }</pre>
 *
 * @param events events handed over so far (exporter: acknowledged by JetStream; importer: written
 *     to the replica)
 * @param gaps gap markers so far
 * @param lagEvents events not handed over yet (exporter: written to the ring but not acknowledged;
 *     importer: in the stream but not written)
 * @param lagMillis the age of the newest event handed over (now minus its record time), in ms; 0
 *     when nothing is waiting
 * @param inFlight messages sent and not yet acknowledged (exporter), or written to the replica and
 *     not yet acknowledged to the consumer (importer)
 * @param retries times the transfer started over after NATS failed it (a lost connection, a
 *     timeout, a refusal)
 * @param connected whether the NATS connection is up right now
 */
public record TransferStats(
    long events,
    long gaps,
    long lagEvents,
    long lagMillis,
    long inFlight,
    long retries,
    boolean connected) {
  /**
   * One line for people: rate since {@code previous}, lag, gaps, retries, and the connection state.
   *
   * @param previous an earlier sample
   * @param elapsedNanos the time between the two samples
   * @return e.g. {@code 1204332 events 98120 events/s lag 12 events 3 ms gaps 0 retries 0}
   */
  public String line(TransferStats previous, long elapsedNanos) {
    double rate = (events - previous.events) / Math.max(elapsedNanos / 1e9, 1e-9);
    return String.format(
        "%12d events %9.0f events/s  lag %d events %d ms  in flight %d  gaps %d  retries %d%s",
        events,
        rate,
        lagEvents,
        lagMillis,
        inFlight,
        gaps,
        retries,
        connected ? "" : "  NATS unreachable, retrying");
  }
}
