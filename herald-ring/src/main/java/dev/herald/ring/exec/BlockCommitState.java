package dev.herald.ring.exec;

/**
 * How far consensus has taken an executed block, in order.
 *
 * <pre>{@code
 * if (update.state() == BlockCommitState.FINALIZED) { ... }
 * }</pre>
 */
public enum BlockCommitState {
  /** Executed, not yet voted on. */
  PROPOSED("Proposed"),
  /** A quorum certificate was seen. */
  VOTED("Voted"),
  /** Finalized: competing proposals for its number are abandoned. */
  FINALIZED("Finalized"),
  /** Its execution result was verified. */
  VERIFIED("Verified");

  private final String upstreamName;

  BlockCommitState(String upstreamName) {
    this.upstreamName = upstreamName;
  }

  /**
   * The name upstream prints.
   *
   * @return e.g. {@code "Proposed"}
   */
  public String upstreamName() {
    return upstreamName;
  }
}
