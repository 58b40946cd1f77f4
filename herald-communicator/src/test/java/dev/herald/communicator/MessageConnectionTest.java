package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.SocketPair;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Message connections over real socket pairs: parsing, dispatch, replies, sends. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MessageConnectionTest {
  private final Loop loop = new Loop();
  private final Dispatcher dispatcher = new Dispatcher();
  private Peer peer;

  @AfterEach
  void close() {
    try {
      loop.close();
    } finally {
      if (peer != null) {
        peer.close();
      }
    }
  }

  private MessageConnection connect(String name, Dispatcher to, int maximumLineLength) {
    SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, 0);
    peer = new Peer(pair.first());
    return loop.call(
        () ->
            MessageConnection.open(
                loop.communicator, name, Transport.of(pair.second()), to, maximumLineLength));
  }

  private MessageConnection connect(String name) {
    return connect(name, dispatcher, Framing.DEFAULT_MAXIMUM_LINE_LENGTH);
  }

  @Test
  void answersTheDefaultCommandsOnTheConnectionTheyCameFrom() {
    DefaultCommands.install(dispatcher, new ServiceHooks() {});
    loop.start();
    connect("first");
    Peer first = peer;
    connect("second"); // the same dispatcher, shared
    Peer second = peer;

    first.write("<client:tool ALIVE serial=7;timestamp=1.5\n");
    second.write("HELP\r\n");
    first.write("FOO\n");

    String alive = first.readLine();
    assertTrue(
        alive.matches(
            "client:tool/ABSOLUTELY reply_timestamp=\\d+\\.\\d{9};serial=7;timestamp=1.5"),
        alive);
    assertEquals("UNKNOWN command=FOO", first.readLine());
    assertTrue(second.readLine().startsWith("COMMANDS list=ALIVE,HELP,"));
    first.close();
  }

  @Test
  void anInvalidOrEmptyLineIsDroppedAndTheConnectionGoesOn() {
    DefaultCommands.install(dispatcher, new ServiceHooks() {});
    loop.start();
    connect("lenient");

    peer.write("\n");
    peer.write("MSG a-b\n"); // a parameter name upstream refuses
    peer.write("{\"command\":\"ALIVE\"}\n"); // the JSON form is read too

    assertTrue(peer.readLine().startsWith("ABSOLUTELY reply_timestamp="));
  }

  @Test
  void anInvalidLineReachesItsHookWhichMayAnswerIt() {
    DefaultCommands.install(dispatcher, new ServiceHooks() {});
    loop.start();
    MessageConnection connection = connect("answering");
    loop.run(
        () ->
            connection.onInvalidLine(
                (c, problem) ->
                    c.sendMessage(
                        new Message()
                            .setCommand("INVALID")
                            .addParameter("message", problem.getMessage()),
                        false)));

    peer.write("MSG a-b\n");
    peer.write("ALIVE\n");

    assertTrue(peer.readLine().startsWith("INVALID message="));
    assertTrue(peer.readLine().startsWith("ABSOLUTELY reply_timestamp="), "the connection goes on");
  }

  @Test
  void aMessageLongerThanTheMaximumClosesTheConnection() throws Exception {
    DefaultCommands.install(dispatcher, new ServiceHooks() {});
    loop.start();
    CompletableFuture<CommunicatorException> closed = new CompletableFuture<>();
    MessageConnection connection = connect("short", dispatcher, 64);
    loop.run(() -> connection.onClosed((c, failure) -> closed.complete(failure)));

    peer.write("ALIVE serial=" + "9".repeat(100) + "\n");

    assertEquals(CommunicatorException.Kind.LINE_TOO_LONG, closed.get(10, TimeUnit.SECONDS).kind());
    assertEquals(0, peer.readToEnd().length);
  }

  @Test
  void sendsFromAnotherThreadArriveInOrder() {
    loop.start();
    MessageConnection connection = connect("out");

    for (int i = 0; i < 200; i++) {
      assertTrue(connection.sendMessage(new Message().setCommand("COUNT").addParameter("n", i)));
    }

    for (int i = 0; i < 200; i++) {
      assertEquals("COUNT n=" + i, peer.readLine());
    }
  }

  @Test
  void registerGoesThroughTheDispatchersSender() {
    DefaultCommands defaults = DefaultCommands.install(dispatcher, new ServiceHooks() {});
    loop.start();
    MessageConnection hub = connect("hub");
    dispatcher.setSender(hub);

    assertTrue(loop.call(() -> defaults.registerService("my_service")));

    assertEquals("REGISTER service=my_service;version=1", peer.readLine());
  }

  @Test
  void aUserMatchRepliesThroughTheOrigin() {
    dispatcher.addMatch(
        DispatcherMatch.command(
            "ECHO",
            m ->
                dispatcher.reply(
                    m,
                    new Message().setCommand("ECHOED").addParameter("text", m.parameter("text")))));
    loop.start();
    connect("echo");

    peer.write("<h:s ECHO text=\"a;b\"\n");

    assertEquals("h:s/ECHOED text=\"a;b\"", peer.readLine());
  }

  @Test
  void stopEndsTheServiceOnceItsRepliesAreWritten() throws Exception {
    try (Communicator communicator = new Communicator()) {
      SocketPair pair = SocketPair.create(SocketPair.Type.STREAM, 0);
      peer = new Peer(pair.first());
      MessageConnection[] connection = new MessageConnection[1];
      DefaultCommands.install(
          dispatcher,
          new ServiceHooks() {
            @Override
            public void stop(boolean quitting) {
              connection[0].markDone(); // leaves once what it has to say is written
            }
          });
      connection[0] =
          MessageConnection.open(communicator, "svc", Transport.of(pair.second()), dispatcher);
      peer.write("ALIVE\nSTOP\nALIVE\n");

      assertTrue(communicator.run()); // returns: no connection left

      byte[] all = peer.readToEnd();
      String text = new String(all, java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(2, text.split("ABSOLUTELY", -1).length - 1, text);
    }
  }
}
