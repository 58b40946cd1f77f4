package dev.herald.ring.exec;

import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.RecordError;
import dev.herald.ring.RingException;
import java.lang.foreign.MemorySegment;

/**
 * Decodes any EXEC event into its {@link ExecPayload} record, through one reusable {@link
 * ExecPayloadView} per payload type. Not thread-safe: one decoder per reading thread.
 *
 * <pre>{@code
 * ExecDecoder decoder = new ExecDecoder();
 * if (reader.poll(d) == PollResult.EVENT) {
 *   ExecPayload p = decoder.decode(ring, d); // null if the payload expired
 * }
 * }</pre>
 */
public final class ExecDecoder {
  private final ExecPayloadView[] views = new ExecPayloadView[ExecEventType.COUNT];
  private final Marker[] markers = new Marker[ExecEventType.COUNT];

  /** Creates a decoder with a view for every payload type. */
  public ExecDecoder() {
    for (ExecEventType t : ExecEventType.values()) {
      views[t.code()] = newView(t);
      if (Marker.isMarker(t)) {
        markers[t.code()] = new Marker(t);
      }
    }
  }

  /**
   * A new view for a payload type.
   *
   * @param type the event type
   * @return the view, or null for types without a payload struct (markers, NONE, RECORD_ERROR)
   */
  public static ExecPayloadView newView(ExecEventType type) {
    return switch (type) {
      case BLOCK_START -> new BlockStart.View();
      case BLOCK_REJECT, TXN_REJECT -> new Reject.View(type);
      case BLOCK_END -> new BlockEnd.View();
      case BLOCK_QC -> new BlockQc.View();
      case BLOCK_FINALIZED -> new BlockFinalized.View();
      case BLOCK_VERIFIED -> new BlockVerified.View();
      case TXN_HEADER_START -> new TxnHeaderStart.View();
      case TXN_ACCESS_LIST_ENTRY -> new TxnAccessListEntry.View();
      case TXN_AUTH_LIST_ENTRY -> new TxnAuthListEntry.View();
      case TXN_EVM_OUTPUT -> new TxnEvmOutput.View();
      case TXN_LOG -> new TxnLog.View();
      case TXN_CALL_FRAME -> new TxnCallFrame.View();
      case ACCOUNT_ACCESS_LIST_HEADER -> new AccountAccessListHeader.View();
      case ACCOUNT_ACCESS -> new AccountAccess.View();
      case STORAGE_ACCESS -> new StorageAccess.View();
      case EVM_ERROR -> new EvmError.View();
      case NONE,
          RECORD_ERROR,
          BLOCK_PERF_EVM_ENTER,
          BLOCK_PERF_EVM_EXIT,
          TXN_HEADER_END,
          TXN_PERF_EVM_ENTER,
          TXN_PERF_EVM_EXIT,
          TXN_END ->
          null;
    };
  }

  /**
   * This decoder's view for a payload type, to read an event in place.
   *
   * @param type the event type
   * @return the decoder's view, or null for types without a payload struct
   */
  public ExecPayloadView view(ExecEventType type) {
    return views[type.code()];
  }

  /**
   * Decodes an event read from a ring, checking the payload's structure and its validity after the
   * copy.
   *
   * @param ring the ring
   * @param d the event
   * @return the payload, or null if the writer overwrote it before or while it was read
   * @throws RingException of kind {@link RingException.Kind#BAD_PAYLOAD} for an unknown or NONE
   *     event type, or a payload that disagrees with its structure; of kind {@link
   *     RingException.Kind#TRUNCATED} if the ring file was truncated under the mapping
   */
  public ExecPayload decode(EventRing ring, EventDescriptor d) {
    try {
      return decodeMapped(ring, d);
    } catch (InternalError e) {
      // A read of the mapping faulted: the file shrank under it.
      throw new RingException(
          RingException.Kind.TRUNCATED,
          "event "
              + d.seqno()
              + " in "
              + ring.path()
              + " could not be read: the ring file was truncated while mapped (a fault occurred"
              + " reading it); reopen the ring",
          e);
    }
  }

  private ExecPayload decodeMapped(EventRing ring, EventDescriptor d) {
    ExecEventType type = knownType(d.eventType(), d.seqno(), ring);
    ExecPayloadView view = views[type.code()];
    if (view != null) {
      if (!view.wrap(ring, d)) {
        return null;
      }
      ExecPayload p;
      try {
        p = toRecord(view);
      } catch (RingException e) {
        if (e.kind() == RingException.Kind.PAYLOAD_EXPIRED) {
          return null; // overwritten while copied
        }
        throw e;
      }
      return view.valid() ? p : null;
    }
    if (type == ExecEventType.RECORD_ERROR) {
      byte[] bytes = ring.copyPayload(d);
      return bytes == null ? null : recordFailure(MemorySegment.ofArray(bytes), d.seqno(), ring);
    }
    if (d.payloadSize() != 0) {
      if (!ring.payloadValid(d)) {
        return null;
      }
      throw bad(
          d.seqno(), ring, type + " carries no payload, but has " + d.payloadSize() + " bytes");
    }
    return markers[type.code()];
  }

  /**
   * Decodes a payload held elsewhere (a copy, a test vector).
   *
   * @param eventType the event type code
   * @param payload exactly the event's payload bytes
   * @return the payload
   * @throws RingException of kind {@link RingException.Kind#BAD_PAYLOAD} for an unknown or NONE
   *     event type, or a payload that disagrees with its structure
   */
  public ExecPayload decode(int eventType, MemorySegment payload) {
    ExecEventType type = knownType(eventType, 0, null);
    ExecPayloadView view = views[type.code()];
    if (view != null) {
      return toRecord(view.wrap(payload));
    }
    if (type == ExecEventType.RECORD_ERROR) {
      return recordFailure(payload, 0, null);
    }
    if (payload.byteSize() != 0) {
      throw bad(0, null, type + " carries no payload, but has " + payload.byteSize() + " bytes");
    }
    return markers[type.code()];
  }

  private static ExecEventType knownType(int code, long seqno, EventRing ring) {
    ExecEventType type = ExecEventType.ofCode(code);
    if (type == null || type == ExecEventType.NONE) {
      throw bad(seqno, ring, "event type " + code + " is not an EXEC event (codes 1 to 24)");
    }
    return type;
  }

  private static RecordFailure recordFailure(MemorySegment payload, long seqno, EventRing ring) {
    if (payload.byteSize() < RecordError.SIZE) {
      throw bad(
          seqno,
          ring,
          "a RECORD_ERROR payload is at least "
              + RecordError.SIZE
              + " bytes, this one is "
              + payload.byteSize());
    }
    RecordError error = RecordError.read(payload);
    long kept = Math.min(error.truncatedPayloadSize(), payload.byteSize() - RecordError.SIZE);
    return new RecordFailure(
        error,
        Bytes.wrap(
            payload
                .asSlice(RecordError.SIZE, kept)
                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
  }

  private static RingException bad(long seqno, EventRing ring, String what) {
    String where =
        (seqno == 0 ? "an EXEC payload" : "event " + seqno)
            + (ring == null ? "" : " in " + ring.path());
    return new RingException(
        RingException.Kind.BAD_PAYLOAD, where + ": " + what + "; the event is corrupt, drop it");
  }

  /** The record of whatever struct the view shows. */
  static ExecPayload toRecord(ExecPayloadView view) {
    return switch (view) {
      case BlockStart.View v -> v.toRecord();
      case BlockEnd.View v -> v.toRecord();
      case BlockQc.View v -> v.toRecord();
      case BlockFinalized.View v -> v.toRecord();
      case BlockVerified.View v -> v.toRecord();
      case Reject.View v -> v.toRecord();
      case TxnHeaderStart.View v -> v.toRecord();
      case TxnAccessListEntry.View v -> v.toRecord();
      case TxnAuthListEntry.View v -> v.toRecord();
      case TxnEvmOutput.View v -> v.toRecord();
      case TxnLog.View v -> v.toRecord();
      case TxnCallFrame.View v -> v.toRecord();
      case AccountAccessListHeader.View v -> v.toRecord();
      case AccountAccess.View v -> v.toRecord();
      case StorageAccess.View v -> v.toRecord();
      case EvmError.View v -> v.toRecord();
    };
  }
}
