package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The default commands and their replies (§2.4), with the S4–S6 vectors. */
class DefaultCommandsTest {
  private final List<String> hookCalls = new ArrayList<>();
  private final Outbox outbox = new Outbox();
  private final Dispatcher dispatcher = new Dispatcher();
  private final ServiceHooks hooks =
      new ServiceHooks() {
        @Override
        public void stop(boolean quitting) {
          hookCalls.add("stop " + quitting);
        }

        @Override
        public void ready(Message message) {
          hookCalls.add("ready " + message.command());
        }

        @Override
        public void restart(Message message) {
          hookCalls.add("restart");
        }

        @Override
        public void logRotate() {
          hookCalls.add("log_rotate");
        }

        @Override
        public void leak() {
          hookCalls.add("leak");
        }

        @Override
        public void help(Set<String> commands) {
          commands.add("EXTRA");
        }
      };
  private final DefaultCommands defaults;

  DefaultCommandsTest() {
    dispatcher.setSender(outbox);
    InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(1715440882, 123));
    defaults = DefaultCommands.install(dispatcher, hooks, true, clock);
  }

  private void dispatch(String wire) {
    assertTrue(dispatcher.dispatch(Message.parse(wire)), wire);
  }

  @Test
  void s6AliveGetsAbsolutelyWithTheReplyTimestamp() {
    dispatch("<srv:svc ALIVE serial=42;timestamp=1715440881.5");
    assertEquals(
        "srv:svc/ABSOLUTELY reply_timestamp=1715440882.000000123;serial=42;timestamp=1715440881.5",
        outbox.only());
  }

  @Test
  void aliveWithoutParametersStillAnswers() {
    dispatch("ALIVE");
    assertEquals("ABSOLUTELY reply_timestamp=1715440882.000000123", outbox.only());
  }

  @Test
  void helpListsTheSortedCommandsAndAsksTheServiceForMore() {
    dispatcher.addMatch(DispatcherMatch.command("HI", m -> {}));
    dispatch("<srv:svc HELP");
    assertEquals(
        "srv:svc/COMMANDS list=ALIVE,EXTRA,HELP,HI,INVALID,LEAK,LOG_ROTATE,QUITTING,READY,RESTART,"
            + "SERVICE_UNAVAILABLE,STOP,UNKNOWN",
        outbox.only());
  }

  @Test
  void s4SendCommandsToTheCommunicator() {
    Dispatcher plain = new Dispatcher();
    Outbox out = new Outbox();
    plain.setSender(out);
    DefaultCommands commands =
        DefaultCommands.install(plain, new ServiceHooks() {}, false, InstantSource.system());
    plain.addMatch(DispatcherMatch.command("HI", m -> {}));
    assertTrue(commands.sendCommands(null));
    assertEquals(
        ".:communicatord/COMMANDS list=ALIVE,HELP,HI,INVALID,LEAK,LOG_ROTATE,QUITTING,READY,"
            + "RESTART,SERVICE_UNAVAILABLE,STOP,UNKNOWN",
        out.only());
  }

  @Test
  void s5AnythingElseGetsUnknown() {
    dispatch("<srv:svc FOO");
    assertEquals("srv:svc/UNKNOWN command=FOO", outbox.only());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ABSOLUTELY reply_timestamp=1",
        "COMMANDS list=A",
        "REGISTER",
        "UNREGISTER",
        "QUIT"
      })
  void commandsNotHandledByDefaultGetUnknown(String wire) {
    dispatch("<srv:svc " + wire);
    assertEquals("srv:svc/UNKNOWN command=" + wire.split(" ")[0], outbox.only());
  }

  @Test
  void repliesReachSendersWhoseNamesHaveDashesAndDots() {
    dispatch("<my-host.example:ed-signal FOO");
    dispatch("<my-host.example:ed-signal ALIVE");
    assertEquals(
        List.of(
            "my-host.example:ed-signal/UNKNOWN command=FOO",
            "my-host.example:ed-signal/ABSOLUTELY reply_timestamp=1715440882.000000123"),
        outbox.sent);
  }

  @Test
  void serviceHooksRun() {
    dispatch("STOP");
    dispatch("QUITTING");
    dispatch("RESTART");
    dispatch("LOG_ROTATE");
    dispatch("LEAK");
    assertFalse(defaults.isReady());
    dispatch("READY my_address=10.0.0.1:4040");
    assertTrue(defaults.isReady());
    assertEquals("10.0.0.1:4040", defaults.myAddress());
    assertEquals(
        List.of("stop false", "stop true", "restart", "log_rotate", "leak", "ready READY"),
        hookCalls);
    assertTrue(outbox.sent.isEmpty());
  }

  @Test
  void invalidUnknownAndServiceUnavailableAreNotAnswered() {
    dispatch("INVALID command=FOO;message=bad");
    dispatch("UNKNOWN command=FOO");
    dispatch("UNKNOWN");
    dispatch("SERVICE_UNAVAILABLE destination_service=x;unsent_command=Y");
    assertTrue(outbox.sent.isEmpty());
  }

  @Test
  void userEntriesAtTheDefaultPriorityOverrideSystemEntries() {
    dispatcher.addMatch(DispatcherMatch.command("STOP", m -> hookCalls.add("user stop")));
    dispatch("STOP");
    assertEquals(List.of("user stop"), hookCalls);
  }

  @Test
  void installingTwiceIsRefusedAndTheTagUninstalls() {
    MessageException e =
        assertThrows(MessageException.class, () -> DefaultCommands.install(dispatcher, hooks));
    assertEquals(MessageException.Kind.IMPLEMENTATION_ERROR, e.kind());
    assertEquals(12, dispatcher.matches().size());
    dispatcher.removeMatches(defaults.tag());
    assertTrue(dispatcher.matches().isEmpty());
    assertFalse(dispatcher.dispatch(Message.parse("ALIVE")));
  }

  @Test
  void anEmptyCommandListIsAnImplementationError() {
    Dispatcher empty = new Dispatcher();
    DefaultCommands commands =
        DefaultCommands.install(empty, new ServiceHooks() {}, false, InstantSource.system());
    empty.removeMatches(commands.tag());
    MessageException e = assertThrows(MessageException.class, () -> commands.sendCommands(null));
    assertEquals(MessageException.Kind.IMPLEMENTATION_ERROR, e.kind());
  }

  @Test
  void registerAndUnregister() {
    assertTrue(defaults.registerService("responder"));
    assertTrue(defaults.unregisterService("responder"));
    assertEquals(
        List.of("REGISTER service=responder;version=1", "UNREGISTER service=responder"),
        outbox.sent);
  }

  @Test
  void aMessageFailingItsDefinitionGetsInvalidAndSkipsTheCallback() {
    dispatch("<srv:svc ALIVE timestamp=yesterday");
    assertEquals(
        "srv:svc/INVALID command=ALIVE;message=parameter \"timestamp\" of command \"ALIVE\" must"
            + " be a timespec, not \"yesterday\".",
        outbox.only());
  }

  @Test
  void readyWithABadAddressIsInvalid() {
    dispatch("READY my_address=not-an-address");
    assertFalse(defaults.isReady());
    assertTrue(outbox.only().startsWith("INVALID command=READY;message="), outbox.only());
  }
}
