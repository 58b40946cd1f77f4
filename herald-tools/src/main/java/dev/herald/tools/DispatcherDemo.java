package dev.herald.tools;

import dev.herald.dispatcher.DefaultCommands;
import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import dev.herald.dispatcher.MessageParser;
import dev.herald.dispatcher.ServiceHooks;
import java.nio.charset.StandardCharsets;

/**
 * The herald-dispatcher part of {@code herald demo}: lines as C++ eventdispatcher services write
 * them are parsed from bytes, checked against their definitions and routed by a dispatcher with
 * upstream's default commands; every reply is printed in the wire form a C++ peer would read.
 */
final class DispatcherDemo {
  private static final String[] LINES = {
    "<web1:front cluckd/LOCK object_name=job7;pid=1234;timeout=30",
    "<web1:front cluckd/HELP",
    "<my-host.example:ed-signal cluckd/ALIVE serial=42",
    "<web1:front cluckd/ALIVE timestamp=yesterday",
    "<web1:front cluckd/FROBNICATE",
    "<web1 cluckd/LOCK",
    "<web1:front cluckd/STOP",
  };

  private final DemoLog log;

  DispatcherDemo(DemoLog log) {
    this.log = log;
  }

  void run() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setSender(
        (reply, cache) -> {
          log.line("reply", reply.toMessage());
          return true;
        });
    dispatcher.addMatch(
        DispatcherMatch.command(
            "LOCK",
            m ->
                dispatcher.reply(
                    m,
                    new Message()
                        .setCommand("LOCKED")
                        .addParameter("object_name", m.parameter("object_name"))
                        .addParameter("timeout", m.integerParameter("timeout")))));
    DefaultCommands.install(
        dispatcher,
        new ServiceHooks() {
          @Override
          public void stop(boolean quitting) {
            log.line("service", "STOP hook called: a real service would leave its loop here");
          }
        });
    MessageParser parser = new MessageParser();
    for (String line : LINES) {
      log.line("received", line);
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      try {
        dispatcher.dispatchMessage(parser.parse(bytes, 0, bytes.length));
      } catch (MessageException e) {
        log.line("rejected", e.getMessage());
      }
    }
  }
}
