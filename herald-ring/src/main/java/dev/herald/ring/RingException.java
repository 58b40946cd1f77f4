package dev.herald.ring;

/**
 * Anything that goes wrong with an event ring file: a bad header, a size the format does not allow,
 * a file that is too short or not a regular file, corrupt descriptors, a name already owned by a
 * live writer, or a failed system call.
 *
 * <pre>{@code
 * try (EventRing ring = EventRing.open(path, ContentType.EXEC)) {
 *   ...
 * } catch (RingException e) {
 *   if (e.kind() == RingException.Kind.WRITER_PRESENT) { ... }
 * }
 * }</pre>
 */
public final class RingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure this is. */
  public enum Kind {
    /** The file does not start with {@code RING01} (upstream: EPROTO). */
    BAD_MAGIC,
    /** The content type is not the one required, or is not a known one (upstream: EPROTO). */
    CONTENT_TYPE,
    /** The 32-byte schema hash does not match the content type's (upstream: EPROTO). */
    SCHEMA_HASH,
    /** A size field is not a power of two, or is out of the format's range. */
    BAD_SIZE,
    /** The file is shorter than its header says, or was truncated while mapped. */
    TRUNCATED,
    /** Another live process holds the ring's exclusive writer lock. */
    WRITER_PRESENT,
    /** No exclusive writer process holds the ring (upstream: EOWNERDEAD). */
    NO_WRITER,
    /** The file is not a zstd snapshot of a ring. */
    NOT_A_SNAPSHOT,
    /**
     * The path names a FIFO, a directory, a device or a socket where a regular file is needed.
     * Checked before anything is read, so such a path never blocks or is removed.
     */
    NOT_REGULAR_FILE,
    /**
     * The ring holds values no writer of the format can produce: a descriptor in the wrong slot or
     * ahead of the writer's last sequence number, a payload that is misaligned, larger than the
     * buffer or beyond the writer's next payload byte, or a control block ahead of every
     * descriptor.
     */
    CORRUPT,
    /**
     * The ring changed faster than an operation could copy it consistently (a snapshot of a ring
     * whose writer kept moving the payload window during every attempt).
     */
    BUSY,
    /**
     * An event's payload disagrees with its own structure: a size other than its struct's size plus
     * the trailing lengths it declares, a count beyond the format's limit, or an event type the
     * schema does not define. The payload was still valid when checked, so this is not expiry.
     */
    BAD_PAYLOAD,
    /**
     * The writer overwrote an event's payload while it was being read through a zero-copy view, so
     * a length already checked read differently the second time: what was read is not the event's.
     * Drop it; a reader that keeps up with the writer does not see this.
     */
    PAYLOAD_EXPIRED,
    /** A system call or an I/O operation failed. */
    IO
  }

  /** The kind of failure. */
  private final Kind kind;

  /**
   * Creates the exception.
   *
   * @param kind the kind of failure
   * @param message what failed, on which file, and what to do
   */
  public RingException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param kind the kind of failure
   * @param message what failed, on which file, and what to do
   * @param cause the underlying failure
   */
  public RingException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * The kind of failure.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }
}
