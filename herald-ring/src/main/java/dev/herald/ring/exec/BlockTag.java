package dev.herald.ring.exec;

/**
 * A consensus block tag ({@code monad_exec_block_tag}): the proposal's unique id and the number the
 * block gets if it is finalized. Competing proposals for one height share the number, not the id.
 *
 * <pre>{@code
 * BlockTag tag = start.blockTag();
 * System.out.println(Long.toUnsignedString(tag.blockNumber()) + " " + tag.id());
 * }</pre>
 *
 * @param id the 32-byte consensus block id
 * @param blockNumber the block number
 */
public record BlockTag(Bytes id, long blockNumber) {}
