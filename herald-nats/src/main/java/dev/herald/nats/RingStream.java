package dev.herald.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.util.Optional;

/**
 * The JetStream stream that holds a ring's events: created when absent (file storage, the spec's
 * replicas, a duplicate window of at least {@link StreamSpec#DUPLICATE_WINDOW}), checked when
 * present, and asked where an exporter resumes.
 *
 * <pre>{@code
 * RingStream stream = RingStream.ensure(nc, StreamSpec.of("orders"));
 * Optional<RingStream.Last> last = stream.last(); // the subject's newest entry, if any
 * }</pre>
 */
public final class RingStream {
  /** JetStream's "not found" status. */
  private static final int NOT_FOUND = 404;

  /** JetStream's "temporarily unavailable" status (no leader yet). */
  private static final int UNAVAILABLE = 503;

  /** How long setting up a stream or consumer waits for a cluster to elect its leader. */
  static final long SETUP_PATIENCE_MS = 10_000;

  private final JetStreamManagement jsm;
  private final String name;
  private final String subject;

  private RingStream(JetStreamManagement jsm, String name, String subject) {
    this.jsm = jsm;
    this.name = name;
    this.subject = subject;
  }

  /**
   * The stream's newest entry on the ring's subject.
   *
   * @param streamSequence its sequence number in the stream
   * @param entry the decoded entry
   */
  public record Last(long streamSequence, StreamEntry entry) {}

  /**
   * Opens the stream, creating it if it is absent.
   *
   * @param nc a connection
   * @param spec the stream's name, subject and replicas
   * @return the stream
   * @throws NatsException of kind {@link NatsException.Kind#STREAM_MISMATCH} if the stream exists
   *     without the spec's subject or JetStream is not enabled, {@link
   *     NatsException.Kind#UNREACHABLE} if JetStream does not answer
   */
  public static RingStream ensure(Connection nc, StreamSpec spec) {
    JetStreamManagement jsm = management(nc);
    patiently(
        "stream " + spec.name(),
        () -> {
          StreamInfo info = streamInfo(jsm, spec.name());
          if (info == null) {
            jsm.addStream(
                StreamConfiguration.builder()
                    .name(spec.name())
                    .subjects(spec.subject())
                    .storageType(StorageType.File)
                    .replicas(spec.replicas())
                    .duplicateWindow(StreamSpec.DUPLICATE_WINDOW)
                    .build());
          } else if (!info.getConfiguration().getSubjects().contains(spec.subject())) {
            throw new NatsException(
                NatsException.Kind.STREAM_MISMATCH,
                "stream "
                    + spec.name()
                    + " exists with subjects "
                    + info.getConfiguration().getSubjects()
                    + ", not "
                    + spec.subject()
                    + ": give --subject one of them, or another stream name");
          }
          return info;
        });
    return new RingStream(jsm, spec.name(), spec.subject());
  }

  /**
   * Opens a stream that must exist (the importer's side).
   *
   * @param nc a connection
   * @param name the stream name
   * @return the stream (its subject is unknown to the caller, so {@link #last()} is not used)
   * @throws NatsException of kind {@link NatsException.Kind#STREAM_MISMATCH} if there is no such
   *     stream
   */
  public static RingStream existing(Connection nc, String name) {
    JetStreamManagement jsm = management(nc);
    StreamInfo info = patiently("stream " + name, () -> streamInfo(jsm, name));
    if (info == null) {
      throw new NatsException(
          NatsException.Kind.STREAM_MISMATCH,
          "stream " + name + " does not exist: start 'herald ring export' for it first");
    }
    return new RingStream(jsm, name, null);
  }

  /**
   * The stream's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The subject the ring is published on.
   *
   * @return the subject
   */
  public String subject() {
    return subject;
  }

  /**
   * The sequence number of the stream's newest message (on any subject).
   *
   * @return the sequence, 0 for an empty stream
   * @throws IOException if JetStream did not answer in time
   * @throws JetStreamApiException if JetStream refused
   */
  public long lastSequence() throws IOException, JetStreamApiException {
    return jsm.getStreamInfo(name).getStreamState().getLastSequence();
  }

  /**
   * Whether the stream holds a message after {@code sequence}, as the stream's leader sees it. A
   * consumer's pending count comes from the node leading the consumer, which may be a replica still
   * catching up after a restart; this asks the node that knows where the stream ends.
   *
   * @param sequence a stream sequence number
   * @return true if a message with a higher sequence is stored
   * @throws IOException if JetStream did not answer in time
   * @throws JetStreamApiException if JetStream refused
   */
  public boolean holdsAfter(long sequence) throws IOException, JetStreamApiException {
    StreamState state = jsm.getStreamInfo(name).getStreamState();
    return state.getMsgCount() > 0 && state.getLastSequence() > sequence;
  }

  /**
   * The newest entry on the ring's subject.
   *
   * @return the entry, or empty if the subject has none
   * @throws IOException if JetStream did not answer in time
   * @throws JetStreamApiException if JetStream refused
   * @throws NatsException of kind {@link NatsException.Kind#BAD_MESSAGE} if that message was not
   *     published by a ring exporter
   */
  public Optional<Last> last() throws IOException, JetStreamApiException {
    MessageInfo info;
    try {
      info = jsm.getLastMessage(name, subject);
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() == NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(
        new Last(
            info.getSeq(),
            RingMessages.read(
                info.getHeaders(),
                info.getData(),
                "message " + info.getSeq() + " of stream " + name)));
  }

  /** A management call that may fail while a cluster elects its leader. */
  @FunctionalInterface
  interface ManagementCall<T> {
    T call() throws IOException, JetStreamApiException;
  }

  /**
   * Runs a management call, retrying for up to {@link #SETUP_PATIENCE_MS} while JetStream does not
   * answer or is temporarily unavailable (a cluster that is electing a leader).
   */
  static <T> T patiently(String what, ManagementCall<T> call) {
    long deadline = System.nanoTime() + SETUP_PATIENCE_MS * 1_000_000;
    while (true) {
      try {
        return call.call();
      } catch (JetStreamApiException e) {
        if (e.getErrorCode() != UNAVAILABLE || System.nanoTime() > deadline) {
          throw failed("set up " + what, e);
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw unanswered(what, e);
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NatsException(
            NatsException.Kind.INTERRUPTED, "interrupted setting up " + what, e);
      }
    }
  }

  private static StreamInfo streamInfo(JetStreamManagement jsm, String name)
      throws IOException, JetStreamApiException {
    try {
      return jsm.getStreamInfo(name);
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() == NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static JetStreamManagement management(Connection nc) {
    try {
      return nc.jetStreamManagement();
    } catch (IOException e) {
      throw new NatsException(
          NatsException.Kind.STREAM_MISMATCH,
          "the NATS server at " + nc.getConnectedUrl() + " has no JetStream: start it with -js",
          e);
    }
  }

  static NatsException failed(String what, JetStreamApiException e) {
    return new NatsException(
        NatsException.Kind.STREAM_MISMATCH,
        "JetStream refused to " + what + ": " + e.getErrorDescription(),
        e);
  }

  static NatsException unanswered(String what, IOException e) {
    return new NatsException(
        NatsException.Kind.UNREACHABLE,
        "JetStream did not answer about "
            + what
            + " ("
            + e.getMessage()
            + "); is JetStream enabled (-js) and does the cluster have a leader?",
        e);
  }
}
