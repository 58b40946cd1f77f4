package dev.herald.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A plugin's subscribe handle: the events that matched its subscriptions, in each publisher's
 * order. Like a ZeroMQ SUB, {@link #take()} returns one frame at a time; {@link #takeMessage()}
 * returns all frames of the next event. Only the plugin's own thread may take.
 *
 * <pre>{@code
 * while (true) {
 *   byte[] event = inbox.take();                // blocks; throws CLOSED when the app closes
 *   if (TypeA.matches(event)) { ... }
 * }
 * }</pre>
 */
public final class Inbox {
  private final EventQueue queue;
  private final Object[] batch;
  private int batchIndex;
  private int batchSize;
  private byte[][] frames;
  private int frameIndex;

  Inbox(EventQueue queue, int batchSize) {
    this.queue = queue;
    this.batch = new Object[batchSize];
  }

  /**
   * Waits for and returns the next frame.
   *
   * @return the frame's bytes, exactly as published
   * @throws EngineException {@code CLOSED} when the application closes, {@code INTERRUPTED} if the
   *     thread is interrupted
   */
  public byte[] take() {
    if (frames != null) {
      byte[] frame = frames[frameIndex++];
      if (frameIndex == frames.length) {
        frames = null;
      }
      return frame;
    }
    Object message = nextMessage();
    if (message instanceof byte[] single) {
      return single;
    }
    frames = ((Multipart) message).frames();
    frameIndex = 1;
    return frames[0];
  }

  /**
   * Returns the next frame if one is ready, without waiting.
   *
   * @return the frame, or null if none is queued
   */
  public byte[] poll() {
    if (frames == null && batchIndex == batchSize) {
      int n = queue.drain(batch);
      if (n == 0) {
        return null;
      }
      batchIndex = 0;
      batchSize = n;
    }
    return take();
  }

  /**
   * Whether the last frame returned by {@link #take()} has more frames after it (ZeroMQ's {@code
   * RCVMORE}).
   *
   * @return true inside a multi-frame event
   */
  public boolean hasMore() {
    return frames != null;
  }

  /**
   * Waits for the next event and returns all its frames (the rest of the current one, if {@link
   * #take()} stopped inside a multi-frame event).
   *
   * @return the frames, at least one
   */
  public List<byte[]> takeMessage() {
    List<byte[]> all = new ArrayList<>();
    do {
      all.add(take());
    } while (hasMore());
    return all;
  }

  /**
   * Returns how many events were dropped for this inbox because it was full.
   *
   * @return the count, 0 with {@link Overflow#BLOCK}
   */
  public long dropped() {
    return queue.stats(false).dropped();
  }

  private Object nextMessage() {
    if (batchIndex == batchSize) {
      int n = queue.take(batch);
      if (n < 0) {
        throw new EngineException(
            EngineException.Kind.CLOSED,
            "the application closed while plugin " + queue.owner() + " waited for an event");
      }
      batchIndex = 0;
      batchSize = n;
    }
    Object message = batch[batchIndex];
    batch[batchIndex++] = null;
    return message;
  }
}
