package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Match entries, ordering, the dispatch algorithm and replies (§2.1, §2.2). */
class DispatcherTest {
  private final List<String> calls = new ArrayList<>();
  private final Dispatcher dispatcher = new Dispatcher(MessageDefinitions.none());

  private MessageHandler record(String name) {
    return m -> calls.add(name);
  }

  private DispatcherMatch entry(String name, MatchFunction function, int priority) {
    return DispatcherMatch.builder()
        .expression("CMD")
        .callback(record(name))
        .matchFunction(function)
        .priority(priority)
        .build();
  }

  @Test
  void entriesGoBeforeTheFirstStrictlyGreaterPriority() {
    int[] priorities = {7, 3, 7, 0, 15, 3, 10, 0};
    for (int i = 0; i < priorities.length; i++) {
      dispatcher.addMatch(
          entry("e" + i + "p" + priorities[i], MatchFunction.CALLBACK, priorities[i]));
    }
    assertTrue(dispatcher.dispatch(Message.parse("CMD")));
    assertEquals(List.of("e3p0", "e7p0", "e1p3", "e5p3", "e0p7", "e2p7", "e6p10", "e4p15"), calls);
    assertEquals(
        List.of(0, 0, 3, 3, 7, 7, 10, 15),
        dispatcher.matches().stream().map(DispatcherMatch::priority).toList());
  }

  @Test
  void matchDefinitionsAreValidatedWithUpstreamTexts() {
    MessageException noCallback =
        assertThrows(
            MessageException.class, () -> DispatcherMatch.builder().expression("A").build());
    assertEquals(MessageException.Kind.PARAMETER_ERROR, noCallback.kind());
    assertEquals(
        "a callback function is required in dispatcher_match, it cannot be set to nullptr.",
        noCallback.getMessage());
    assertEquals(
        "an expression is required for the one_to_one_match().",
        assertThrows(
                MessageException.class, () -> DispatcherMatch.builder().callback(m -> {}).build())
            .getMessage());
    assertEquals(
        "priority too large for dispatcher match.",
        assertThrows(
                MessageException.class,
                () ->
                    DispatcherMatch.builder()
                        .expression("A")
                        .callback(m -> {})
                        .priority(16)
                        .build())
            .getMessage());
    assertThrows(
        MessageException.class,
        () -> DispatcherMatch.builder().expression("A").callback(m -> {}).priority(-1).build());
    DispatcherMatch defaults = DispatcherMatch.command("A", m -> {});
    assertEquals(DispatcherMatch.DEFAULT_PRIORITY, defaults.priority());
    assertEquals(DispatcherMatch.NO_TAG, defaults.tag());
    assertSame(MatchFunction.ONE_TO_ONE, defaults.matchFunction());
    assertEquals(
        15,
        DispatcherMatch.builder()
            .expression("A")
            .callback(m -> {})
            .priority(15)
            .build()
            .priority());
  }

  @Test
  void anExactMatchStopsTheSearch() {
    dispatcher.addMatch(DispatcherMatch.command("CMD", record("first")));
    dispatcher.addMatch(DispatcherMatch.command("CMD", record("second")));
    dispatcher.addMatch(DispatcherMatch.command("OTHER", record("other")));
    assertTrue(dispatcher.dispatch(Message.parse("CMD")));
    assertEquals(List.of("first"), calls);
  }

  @Test
  void callbackEntriesRunAndTheSearchGoesOn() {
    dispatcher.addMatch(entry("spy", MatchFunction.ONE_TO_ONE_CALLBACK, 0));
    dispatcher.addMatch(entry("all", MatchFunction.CALLBACK, 1));
    dispatcher.addMatch(DispatcherMatch.command("CMD", record("handler")));
    dispatcher.addMatch(DispatcherMatch.command("CMD", record("never")));
    Message m = Message.parse("CMD");
    assertTrue(dispatcher.dispatch(m));
    assertTrue(m.wasProcessed());
    assertEquals(List.of("spy", "all", "handler"), calls);
  }

  @Test
  void theCatchAllRunsOnlyWhenNothingProcessedTheMessage() {
    dispatcher.addMatch(DispatcherMatch.catchAll(record("catch-all")));
    dispatcher.addMatch(entry("spy", MatchFunction.ONE_TO_ONE_CALLBACK, 0));
    assertTrue(dispatcher.dispatch(Message.parse("CMD")));
    assertEquals(List.of("spy"), calls);
    calls.clear();
    Message other = Message.parse("OTHER");
    assertTrue(dispatcher.dispatch(other));
    assertEquals(List.of("catch-all"), calls);
    assertTrue(other.wasProcessed());
    assertEquals(2, dispatcher.matches().size(), "catch-all is last");
    assertSame(MatchFunction.ALWAYS, dispatcher.matches().getLast().matchFunction());
  }

  @Test
  void nothingMatchedGoesToTheFallback() {
    dispatcher.addMatch(DispatcherMatch.command("CMD", record("cmd")));
    Message m = Message.parse("OTHER");
    assertFalse(dispatcher.dispatch(m));
    assertFalse(m.wasProcessed());
    MessageException e =
        assertThrows(
            MessageException.class, () -> dispatcher.dispatchMessage(Message.parse("OTHER")));
    assertEquals(MessageException.Kind.IMPLEMENTATION_ERROR, e.kind());
    assertTrue(e.getMessage().contains("did not catch message \"OTHER\""), e.getMessage());
    dispatcher.setFallback(record("fallback"));
    dispatcher.dispatchMessage(Message.parse("OTHER"));
    dispatcher.dispatchMessage(Message.parse("CMD"));
    assertEquals(List.of("fallback", "cmd"), calls);
  }

  @Test
  void aSecondCatchAllIsRefused() {
    dispatcher.addMatch(DispatcherMatch.catchAll(m -> {}));
    MessageException e =
        assertThrows(
            MessageException.class, () -> dispatcher.addMatch(DispatcherMatch.catchAll(m -> {})));
    assertEquals(MessageException.Kind.IMPLEMENTATION_ERROR, e.kind());
    assertEquals(
        "add_match() called with a second \"always_match()\" rule (expression \"<undefined>\").",
        e.getMessage());
  }

  @Test
  void removeMatchesRemovesOneTag() {
    int tag = DispatcherMatch.nextTag();
    int other = DispatcherMatch.nextTag();
    assertNotEquals(tag, other);
    assertNotEquals(DispatcherMatch.NO_TAG, tag);
    dispatcher.addMatch(
        DispatcherMatch.builder().expression("A").callback(record("a")).tag(tag).build());
    dispatcher.addMatch(
        DispatcherMatch.builder().expression("B").callback(record("b")).tag(other).build());
    dispatcher.addMatch(DispatcherMatch.command("C", record("c")));
    dispatcher.addMatch(
        DispatcherMatch.builder()
            .matchFunction(MatchFunction.ALWAYS)
            .callback(record("all"))
            .tag(tag)
            .build());
    dispatcher.removeMatches(DispatcherMatch.NO_TAG);
    assertEquals(4, dispatcher.matches().size());
    dispatcher.removeMatches(tag);
    assertEquals(
        List.of("B", "C"), dispatcher.matches().stream().map(DispatcherMatch::expression).toList());
    assertFalse(dispatcher.dispatch(Message.parse("A")));
  }

  @Test
  void globAndRegexPatterns() {
    dispatcher.addMatch(
        DispatcherMatch.builder()
            .expression("FLUID_*")
            .matchFunction(MatchFunction.glob("FLUID_*"))
            .callback(m -> calls.add("glob " + m.command()))
            .build());
    dispatcher.addMatch(
        DispatcherMatch.builder()
            .expression("LOG_.")
            .matchFunction(MatchFunction.regex("LOG_[AB]"))
            .callback(m -> calls.add("regex " + m.command()))
            .build());
    dispatcher.addMatch(
        DispatcherMatch.builder()
            .matchFunction(MatchFunction.glob("A?C.D"))
            .callback(m -> calls.add("dot " + m.command()))
            .build());
    for (String command : new String[] {"FLUID_GET", "FLUID", "LOG_A", "LOG_C", "ABC.D", "ABCXD"}) {
      dispatcher.dispatch(Message.parse(command));
    }
    assertEquals(List.of("glob FLUID_GET", "regex LOG_A", "dot ABC.D"), calls);
  }

  @Test
  void userMatchFunctionsSeeTheirEntry() {
    MatchFunction byExpression =
        (match, message) ->
            message.command().startsWith(match.expression()) ? MatchResult.TRUE : MatchResult.FALSE;
    dispatcher.addMatch(
        DispatcherMatch.builder()
            .expression("PRE")
            .matchFunction(byExpression)
            .callback(record("prefix"))
            .build());
    assertTrue(dispatcher.dispatch(Message.parse("PREFIXED")));
    assertFalse(dispatcher.dispatch(Message.parse("XPRE")));
    assertEquals(List.of("prefix"), calls);
  }

  @Test
  void callbacksMayChangeTheEntriesWhileDispatching() {
    int tag = DispatcherMatch.nextTag();
    dispatcher.addMatch(
        DispatcherMatch.builder()
            .expression("CMD")
            .matchFunction(MatchFunction.ONE_TO_ONE_CALLBACK)
            .callback(
                m -> {
                  calls.add("remover");
                  dispatcher.removeMatches(tag);
                  dispatcher.addMatch(DispatcherMatch.command("CMD", record("added")));
                })
            .tag(tag)
            .priority(0)
            .build());
    dispatcher.addMatch(DispatcherMatch.command("CMD", record("original")));
    dispatcher.dispatch(Message.parse("CMD"));
    dispatcher.dispatch(Message.parse("CMD"));
    assertEquals(List.of("remover", "original", "original"), calls);
  }

  @Test
  void repliesGoToTheOriginElseToTheSender() {
    Outbox origin = new Outbox();
    Outbox fallback = new Outbox();
    Message received = Message.parse("<peer:svc PING");
    assertFalse(dispatcher.reply(received, new Message().setCommand("PONG")), "no sender yet");
    dispatcher.setSender(fallback);
    assertSame(fallback, dispatcher.sender());
    assertTrue(dispatcher.reply(received, new Message().setCommand("PONG")));
    received.setOrigin(origin);
    assertTrue(dispatcher.reply(received, new Message().setCommand("PONG")));
    assertEquals("peer:svc/PONG", fallback.only());
    assertEquals("peer:svc/PONG", origin.only());
    assertFalse(origin.cached.getFirst());
  }

  @Test
  void aReplyThatCannotBeAddressedIsDroppedNotThrown() {
    Outbox outbox = new Outbox();
    dispatcher.setSender(outbox);
    assertFalse(dispatcher.reply(Message.parse("<a:b:c PING"), new Message().setCommand("PONG")));
    assertTrue(outbox.sent.isEmpty());
  }

  @Test
  void traceCanBeTurnedOn() {
    dispatcher.setTrace(true);
    assertTrue(dispatcher.isTrace());
    dispatcher.addMatch(DispatcherMatch.command("CMD", record("cmd")));
    assertFalse(
        dispatcher.dispatch(Message.parse("{\"server\":\"x\"}")), "no command: logged, not thrown");
    assertTrue(dispatcher.dispatch(Message.parse("CMD")));
    assertEquals(List.of("cmd"), calls);
  }

  @Test
  void commandsListsExactEntriesAndAsksForHelpOtherwise() {
    java.util.TreeSet<String> commands = new java.util.TreeSet<>();
    dispatcher.addMatch(DispatcherMatch.command("B", m -> {}));
    dispatcher.addMatch(DispatcherMatch.command("A", m -> {}));
    assertFalse(dispatcher.commands(commands));
    assertEquals(List.of("A", "B"), List.copyOf(commands));
    dispatcher.addMatch(
        DispatcherMatch.builder()
            .matchFunction(MatchFunction.regex("X.*"))
            .callback(m -> {})
            .build());
    assertTrue(dispatcher.commands(commands));
  }
}
