package dev.herald.ring.exec;

/**
 * Receives what a {@link BlockAssembler} produces, on the thread that feeds it.
 *
 * <pre>{@code
 * List<BlockUpdate> updates = new ArrayList<>();
 * BlockAssembler assembler = new BlockAssembler(new BlockSink() {
 *   public void update(BlockUpdate u) { updates.add(u); }
 *   public void dropped(BlockDrop d) { System.err.println(d.describe()); }
 * });
 * }</pre>
 */
public interface BlockSink {
  /**
   * A block was executed, or its commit state advanced.
   *
   * @param update the update
   */
  void update(BlockUpdate update);

  /**
   * A block in progress was dropped (never emitted), or the stream lost events.
   *
   * @param drop which block and why
   */
  void dropped(BlockDrop drop);
}
