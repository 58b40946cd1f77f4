package dev.herald.os;

/**
 * How a child process ended, as {@code waitid(2)} reports it.
 *
 * <pre>{@code
 * ChildStatus status = ChildProcess.reap(pid, true);
 * if (status.how() == ChildStatus.How.EXITED && status.value() == 0) { ... }
 * }</pre>
 *
 * @param pid the child
 * @param how whether it exited or was killed
 * @param value the exit code for {@link How#EXITED}, else the signal number
 */
public record ChildStatus(int pid, How how, int value) {
  /** How the child ended ({@code si_code} of a {@code CLD_*} kind). */
  public enum How {
    /** It called {@code exit}: {@link #value()} is the exit code ({@code CLD_EXITED}). */
    EXITED,
    /** A signal killed it: {@link #value()} is the signal ({@code CLD_KILLED}). */
    KILLED,
    /**
     * A signal killed it and it dumped core: {@link #value()} is the signal ({@code CLD_DUMPED}).
     */
    DUMPED
  }

  /**
   * The status the way a shell shows it: the exit code, or 128 plus the signal number.
   *
   * @return 0 to 255
   */
  public int shellCode() {
    return how == How.EXITED ? value : 128 + value;
  }
}
