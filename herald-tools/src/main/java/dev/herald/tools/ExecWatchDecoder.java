package dev.herald.tools;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.RingException;
import dev.herald.ring.exec.ExecDecoder;
import dev.herald.ring.exec.ExecEventText;
import dev.herald.ring.exec.ExecPayload;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code herald ring watch --decode}: appends each EXEC event's decoded summary ({@link
 * ExecEventText}) to its eventwatch line, after {@code " | "}. An expired payload shows as {@code
 * <EXPIRED>} (watch reports it on stderr as eventwatch does); a corrupt one as {@code <CORRUPT>},
 * with the reason on stderr.
 */
final class ExecWatchDecoder {
  private final ExecDecoder decoder = new ExecDecoder();
  private final PrintStream err;

  private ExecWatchDecoder(PrintStream err) {
    this.err = err;
  }

  /** A decoder for {@code ring}, which must hold EXEC events. */
  static ExecWatchDecoder forRing(EventRing ring, Path path, PrintStream err) {
    if (ring.header().contentType() != ContentType.EXEC) {
      throw new RingException(
          RingException.Kind.CONTENT_TYPE,
          path
              + " holds content type "
              + ring.header().contentTypeCode()
              + ", not EXEC events: --decode reads EXEC rings only, watch it without --decode");
    }
    return new ExecWatchDecoder(err);
  }

  /** The event's line: its eventwatch summary, then its decoded fields if it has any. */
  String line(EventRing ring, EventDescriptor d, String summary) {
    ExecPayload p;
    try {
      p = decoder.decode(ring, d);
    } catch (RingException e) {
      if (e.kind() != RingException.Kind.BAD_PAYLOAD) {
        throw e;
      }
      err.println("ERROR: " + e.getMessage());
      return summary + " | <CORRUPT>";
    }
    if (p == null) {
      return summary + " | <EXPIRED>";
    }
    String text = ExecEventText.of(p);
    return text.isEmpty() ? summary : summary + " | " + text;
  }
}
