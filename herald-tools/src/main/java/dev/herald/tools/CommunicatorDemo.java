package dev.herald.tools;

import dev.herald.communicator.BlockingMessageConnection;
import dev.herald.dispatcher.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The herald-communicator part of {@code herald demo}: the example service of {@code herald
 * service} runs in this process on a loopback port, a blocking client connection asks it HELP,
 * ALIVE and ECHO as a command-line tool would, then stops it with STOP.
 */
final class CommunicatorDemo {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final DemoLog log;

  CommunicatorDemo(DemoLog log) {
    this.log = log;
  }

  void run() throws Exception {
    ExampleService service = new ExampleService(ExampleService.DEFAULT_NAME);
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    try {
      String uri = service.listen(ServiceUri.parse("tcp://127.0.0.1:0"), null);
      log.line("service", "listening on " + uri);
      Thread.ofPlatform()
          .name("herald-demo-service")
          .start(
              () -> {
                try {
                  service.run();
                  stopped.complete(null);
                } catch (Throwable t) {
                  stopped.completeExceptionally(t);
                }
              });
      try (BlockingMessageConnection client =
          BlockingMessageConnection.connect(ServiceUri.parse(uri).address(), WAIT)) {
        for (Message request :
            new Message[] {
              new Message().setCommand("HELP"),
              new Message().setCommand("ALIVE").addParameter("serial", 1),
              new Message().setCommand("ECHO").addParameter("text", "hello, herald"),
            }) {
          log.line("client", "sends    " + request.toMessage());
          log.line("client", "receives " + client.request(request, WAIT).toMessage());
        }
        log.line("client", "sends    STOP");
        client.send(new Message().setCommand("STOP"), WAIT);
      }
      stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      log.line("service", "stopped: its listener is closed and its loop returned");
    } finally {
      if (!stopped.isDone()) {
        service.requestStop("the demo ends");
        stopped.handle((r, t) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      service.close();
    }
  }
}
