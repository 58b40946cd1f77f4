package dev.herald.bench.communicator;

import dev.herald.communicator.Communicator;
import dev.herald.communicator.MessageConnection;
import dev.herald.communicator.StreamListener;
import dev.herald.communicator.Transport;
import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.SocketAddress;

/**
 * The Herald side of {@link CommunicatorVsNetty}, run in a process of its own: one {@link
 * Communicator} (one thread) with a TCP {@link StreamListener} on loopback; every client becomes a
 * {@link MessageConnection} on one shared {@link Dispatcher} with the {@link DefaultCommands}, so
 * that {@code ALIVE} is answered with {@code ABSOLUTELY} exactly as a Herald service does.
 */
public final class HeraldLineServer {
  private HeraldLineServer() {}

  /**
   * Serves until the driver says {@code quit} (see {@code ServerProbe}).
   *
   * @param args none
   */
  public static void main(String[] args) {
    ServerProbe probe = new ServerProbe();
    Dispatcher dispatcher = new Dispatcher();
    DefaultCommands.install(dispatcher, new ServiceHooks() {});
    try (Communicator communicator = new Communicator()) {
      StreamListener listener =
          StreamListener.listen(
              communicator,
              "bench",
              SocketAddress.Inet4.loopback(0),
              (l, client) -> {
                MessageConnection.open(communicator, "client", Transport.of(client), dispatcher);
                probe.accepted();
              });
      probe.serve("herald-communicator (epoll)", ((SocketAddress.Inet4) listener.address()).port());
      communicator.run();
    }
  }
}
