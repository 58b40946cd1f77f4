package dev.herald.os;

/**
 * The three {@code flock(2)} operations.
 *
 * <pre>{@code
 * if (!file.flock(FileLock.EXCLUSIVE, false)) {
 *   throw new IllegalStateException("another process holds " + path);
 * }
 * }</pre>
 */
public enum FileLock {
  /** {@code LOCK_SH}: many holders may share it. */
  SHARED(1),
  /** {@code LOCK_EX}: one holder only. */
  EXCLUSIVE(2),
  /** {@code LOCK_UN}: release whatever this open file description holds. */
  UNLOCK(8);

  /** The non-blocking modifier. */
  static final int LOCK_NB = 4;

  private final int operation;

  FileLock(int operation) {
    this.operation = operation;
  }

  /**
   * The {@code flock} operation value.
   *
   * @return {@code LOCK_SH}, {@code LOCK_EX} or {@code LOCK_UN}
   */
  public int operation() {
    return operation;
  }
}
