package dev.herald.bench.communicator;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import dev.herald.dispatcher.MessageParser;
import dev.herald.dispatcher.MessageSender;
import dev.herald.dispatcher.MessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One Netty channel's message handler: each line from the {@code LineBasedFrameDecoder} is parsed
 * by herald-dispatcher's {@link MessageParser}, marked as coming from this channel and dispatched;
 * replies are written with {@link MessageWriter} into a buffer of the channel's allocator and
 * flushed once per read batch ({@code channelReadComplete}), the usual Netty idiom.
 */
final class NettyMessageHandler extends ChannelInboundHandlerAdapter implements MessageSender {
  private final Dispatcher dispatcher;
  private final MessageParser parser;
  private final MessageWriter writer;
  private ChannelHandlerContext context;

  /**
   * Lines arrive in direct buffers (epoll) and are copied here for the byte[] parser; shared by
   * every channel, as the server has one loop thread.
   */
  private static byte[] line = new byte[256];

  NettyMessageHandler(Dispatcher dispatcher, MessageParser parser, MessageWriter writer) {
    this.dispatcher = dispatcher;
    this.parser = parser;
    this.writer = writer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      int length = frame.readableBytes();
      if (length == 0) {
        return;
      }
      Message message;
      if (frame.hasArray()) {
        message = parser.parse(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
      } else {
        if (line.length < length) {
          line = new byte[Math.max(length, line.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), line, 0, length);
        message = parser.parse(line, 0, length);
      }
      message.setOrigin(this);
      dispatcher.dispatchMessage(message);
    } catch (MessageException e) {
      // As the Herald side: an invalid line is dropped and the connection goes on.
    } finally {
      frame.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  public boolean sendMessage(Message message, boolean cache) {
    writer.writeString(message).append('\n');
    ByteBuf reply = context.alloc().ioBuffer(writer.length());
    reply.writeBytes(writer.buffer(), 0, writer.length());
    context.write(reply, context.voidPromise());
    return true;
  }
}
