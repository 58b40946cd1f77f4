package dev.herald.bench.communicator;

import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.MessageParser;
import dev.herald.dispatcher.MessageWriter;
import dev.herald.dispatcher.ServiceHooks;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.Version;
import java.net.InetSocketAddress;

/**
 * The Netty side of {@link CommunicatorVsNetty}, run in a process of its own: Netty 4.2 on its
 * epoll transport (NIO if the native library does not load), one event loop thread that accepts and
 * serves, as Herald's one communicator does; each client's pipeline is a {@link
 * LineBasedFrameDecoder} and a {@code NettyMessageHandler} that parses, dispatches and writes with
 * the same herald-dispatcher classes as the Herald side.
 */
public final class NettyLineServer {
  private NettyLineServer() {}

  /**
   * Serves until the driver says {@code quit} (see {@code ServerProbe}).
   *
   * @param args none
   * @throws InterruptedException if interrupted while binding
   */
  public static void main(String[] args) throws InterruptedException {
    try {
      serve();
    } catch (RuntimeException | Error e) {
      e.printStackTrace();
      Runtime.getRuntime().halt(1); // the event loop's thread would keep the process alive
    }
  }

  private static void serve() throws InterruptedException {
    ServerProbe probe = new ServerProbe();
    Dispatcher dispatcher = new Dispatcher();
    DefaultCommands.install(dispatcher, new ServiceHooks() {});
    // One loop thread: the parser and writer are shared by every channel, as in one communicator.
    MessageParser parser = new MessageParser();
    MessageWriter writer = new MessageWriter();
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channel =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, ioHandlers);
    Channel server =
        new ServerBootstrap()
            .group(loop)
            .channel(channel)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel client) {
                    client
                        .pipeline()
                        .addLast(
                            new LineBasedFrameDecoder(MessageParser.DEFAULT_MAXIMUM_SIZE),
                            new NettyMessageHandler(dispatcher, parser, writer));
                    probe.accepted();
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    String transport =
        epoll
            ? "netty "
                + Version.identify().values().stream()
                    .map(Version::artifactVersion)
                    .distinct()
                    .toList()
                + " (epoll)"
            : "netty (NIO: epoll unavailable: " + Epoll.unavailabilityCause() + ")";
    probe.serve(transport, ((InetSocketAddress) server.localAddress()).getPort());
    server.closeFuture().sync();
  }
}
