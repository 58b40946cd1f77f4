package dev.herald.communicator;

import dev.herald.dispatcher.MessageParser;
import dev.herald.dispatcher.MessageWriter;
import java.lang.foreign.MemorySegment;

/**
 * What the connections of one communicator share on its loop thread, so that none holds buffers of
 * its own while idle: the read buffer every read goes into (lines are handed over from it without a
 * copy), the message parser and writer, and the batch that gathers the replies to one read.
 */
final class LoopBuffers {
  /** One read takes at most this much: the size of herald-os's native transfer window. */
  static final int READ_SIZE = 64 * 1024;

  final byte[] read = new byte[READ_SIZE];
  final MemorySegment readSegment = MemorySegment.ofArray(read);

  /** Lines are bounded by their framing; the parser takes whatever the framing let through. */
  final MessageParser parser = new MessageParser(Integer.MAX_VALUE);

  final MessageWriter writer = new MessageWriter();

  final WriteBatch batch = new WriteBatch();
}
