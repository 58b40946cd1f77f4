package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.herald.dispatcher.ServiceHooks;
import dev.herald.os.SocketAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogrotateListenerTest {
  private final Loop loop = new Loop();
  private final LinkedBlockingQueue<String> rotations = new LinkedBlockingQueue<>();
  private final ServiceHooks hooks =
      new ServiceHooks() {
        @Override
        public void logRotate() {
          rotations.add(Thread.currentThread().getName());
        }
      };

  @AfterEach
  void close() {
    loop.close();
  }

  private static void send(InetSocketAddress to, String text) throws Exception {
    try (DatagramChannel sender = DatagramChannel.open()) {
      sender.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), to);
    }
  }

  private static InetSocketAddress inet(SocketAddress address) {
    SocketAddress.Inet4 v4 = (SocketAddress.Inet4) address;
    return new InetSocketAddress("127.0.0.1", v4.port());
  }

  @Test
  void logRotateWithTheRightCodeReopensTheLogOnTheLoop() throws Exception {
    loop.start();
    DatagramConnection listener =
        loop.call(
            () ->
                LogrotateListener.open(
                    loop.communicator, SocketAddress.parse("127.0.0.1:0"), "abc", hooks));
    InetSocketAddress to = inet(listener.address());
    assertEquals(LogrotateListener.NAME, listener.name());

    send(to, "<myhost:ed_signal ./LOG_ROTATE secret_code=wrong");
    send(to, "<myhost:ed_signal ./LOG_ROTATE");
    send(to, "<myhost:ed_signal ./LOG_ROTATE secret_code=abc");
    assertEquals("loop", rotations.poll(10, TimeUnit.SECONDS), "the hook runs on the loop thread");
    loop.sync();
    assertNull(rotations.poll(), "only the datagram with the code rotated the log");
    DatagramCounters counters = loop.call(listener::counters);
    assertEquals(3, counters.received());
    assertEquals(1, counters.dispatched());
    assertEquals(2, counters.wrongSecretCode());
  }

  @Test
  void withoutACodeEveryLogRotateCounts() throws Exception {
    loop.start();
    DatagramConnection listener =
        loop.call(
            () ->
                LogrotateListener.open(
                    loop.communicator, SocketAddress.parse("127.0.0.1:0"), "", hooks));
    InetSocketAddress to = inet(listener.address());
    send(to, "LOG_ROTATE");
    send(to, "<h:ed_signal snaprfs/LOG_ROTATE");
    assertNotNull(rotations.poll(10, TimeUnit.SECONDS));
    assertNotNull(rotations.poll(10, TimeUnit.SECONDS));
  }
}
