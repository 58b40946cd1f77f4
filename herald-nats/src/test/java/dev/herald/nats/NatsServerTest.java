package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test servers are real: a JetStream stream survives a killed and restarted server. */
class NatsServerTest {
  @Test
  void streamSurvivesKillAndRestart(@TempDir Path dir) throws Exception {
    try (NatsServer server = NatsServer.start(dir)) {
      Options options =
          new Options.Builder()
              .server(server.url())
              .connectionTimeout(Duration.ofSeconds(5))
              .build();
      try (Connection nc = Nats.connect(options)) {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(
            StreamConfiguration.builder()
                .name("S")
                .subjects("s.>")
                .storageType(StorageType.File)
                .build());
        nc.jetStream().publish("s.one", new byte[] {1, 2, 3});
      }
      server.kill();
      assertFalse(server.isRunning());
      server.restart();
      try (Connection nc = Nats.connect(options)) {
        assertEquals(1, nc.jetStreamManagement().getStreamInfo("S").getStreamState().getMsgCount());
      }
    }
  }
}
