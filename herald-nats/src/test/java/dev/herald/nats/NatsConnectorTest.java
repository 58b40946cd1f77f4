package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** NATS unreachable at start is a clear error within seconds, never a hang. */
@Timeout(30)
class NatsConnectorTest {
  @Test
  void noServerIsAClearErrorWithinTenSeconds() throws Exception {
    String url = "nats://127.0.0.1:" + NatsServer.freePort();
    long start = System.nanoTime();
    NatsException e =
        assertThrows(NatsException.class, () -> NatsConnector.connect(List.of(url, url), "test"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(NatsException.Kind.UNREACHABLE, e.kind());
    assertTrue(e.getMessage().contains(url), e.getMessage());
    assertTrue(millis < 10_000, "failed after " + millis + " ms");
  }

  @Test
  void malformedUrlIsAConfigurationError() {
    NatsException e =
        assertThrows(
            NatsException.class, () -> NatsConnector.connect(List.of("nats://a b:4222"), "test"));
    assertEquals(NatsException.Kind.CONFIGURATION, e.kind());
  }
}
