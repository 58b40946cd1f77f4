package dev.herald.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Definition files on a search path and the checks they drive (§2.3). */
class MessageDefinitionsTest {
  @TempDir Path first;
  @TempDir Path second;

  private static void write(Path dir, String command, String content) throws IOException {
    Files.writeString(dir.resolve(command + ".conf"), content);
  }

  @Test
  void theFirstFileOnThePathWins() throws IOException {
    write(first, "HELLO", "[data]\nflags=optional\n");
    write(second, "HELLO", "[other]\n");
    write(second, "HI", "[data]\nflags=optional\n");
    MessageDefinitions definitions = MessageDefinitions.parse(first + "::" + second, false);
    assertEquals(
        List.of(new ParameterDefinition("data", ParameterType.STRING, Set.of())),
        definitions.find("HELLO").parameters());
    assertEquals("data", definitions.find("HI").parameters().getFirst().name());
    assertTrue(definitions.find("DOWN").parameters().isEmpty(), "no file: empty definition");
  }

  @Test
  void sectionsTypesAndFlags() throws IOException {
    write(
        first,
        "JOB",
        """
        # a job
        [job-id]
        type=integer
        description=dashes become underscores

        [when]
        type = timespec
        flags = required, empty

        [peer]
        type=address
        flags=optional

        [secret]
        flags=forbidden

        [note]
        """);
    MessageDefinition job = MessageDefinitions.parse(first.toString(), false).find("JOB");
    assertEquals(
        List.of(
            new ParameterDefinition(
                "job_id",
                ParameterType.INTEGER,
                Set.of(ParameterFlag.REQUIRED, ParameterFlag.EMPTY)),
            new ParameterDefinition(
                "when",
                ParameterType.TIMESPEC,
                Set.of(ParameterFlag.REQUIRED, ParameterFlag.EMPTY)),
            new ParameterDefinition("peer", ParameterType.ADDRESS, Set.of()),
            new ParameterDefinition(
                "secret", ParameterType.STRING, Set.of(ParameterFlag.FORBIDDEN)),
            new ParameterDefinition(
                "note", ParameterType.STRING, Set.of(ParameterFlag.REQUIRED, ParameterFlag.EMPTY))),
        job.parameters());
    String ok = "JOB job_id=0x10;when=12.5;note=;undeclared=x";
    assertNull(job.check(Message.parse(ok)));
    assertNull(job.check(Message.parse(ok + ";peer=[::1]:80")));
    assertNull(job.check(Message.parse("JOB job_id=;when=;note=x")), "empty allowed by default");
    assertEquals(
        "parameter \"job_id\" of command \"JOB\" is required.",
        job.check(Message.parse("JOB when=1;note=x")));
    assertEquals(
        "parameter \"job_id\" of command \"JOB\" must be an integer, not \"ten\".",
        job.check(Message.parse("JOB job_id=ten;when=1;note=x")));
    assertEquals(
        "parameter \"when\" of command \"JOB\" must be a timespec, not \"noon\".",
        job.check(Message.parse("JOB job_id=1;when=noon;note=x")));
    assertEquals(
        "parameter \"peer\" of command \"JOB\" cannot be empty.",
        job.check(Message.parse("JOB job_id=1;when=1;note=x;peer=")));
    assertEquals(
        "parameter \"peer\" of command \"JOB\" must be an address, not \"host\".",
        job.check(Message.parse("JOB job_id=1;when=1;note=x;peer=host")));
    assertEquals(
        "parameter \"secret\" of command \"JOB\" is forbidden.",
        job.check(Message.parse("JOB job_id=1;when=1;note=x;secret=s")));
  }

  @Test
  void unknownTypesAndFlagsAreConfigurationErrors() throws IOException {
    write(first, "BADTYPE", "[a]\ntype=float\n");
    write(first, "BADFLAG", "[a]\nflags=optional,sometimes\n");
    write(first, "BADNAME", "[9lives]\n");
    MessageDefinitions definitions = MessageDefinitions.parse(first.toString(), false);
    List<String> errors = new ArrayList<>();
    for (String command : new String[] {"BADTYPE", "BADFLAG", "BADNAME"}) {
      MessageException e = assertThrows(MessageException.class, () -> definitions.find(command));
      assertEquals(MessageException.Kind.INVALID_PARAMETER, e.kind());
      errors.add(e.getMessage());
    }
    assertTrue(
        errors.get(0).contains("BADTYPE.conf, line 2: unknown type \"float\""), errors.get(0));
    assertTrue(errors.get(1).contains("unknown flag \"sometimes\""), errors.get(1));
    assertTrue(errors.get(2).contains("cannot start with a digit"), errors.get(2));
  }

  @Test
  void commandsThatAreNotNamesNeverReachTheFileSystem() throws IOException {
    Path nested = Files.createDirectories(first.resolve("sub"));
    write(first, "SECRET", "[x]\n");
    MessageDefinitions definitions = MessageDefinitions.parse(nested.toString(), false);
    assertTrue(definitions.find("../SECRET").parameters().isEmpty());
    assertTrue(definitions.find("A-B.c").parameters().isEmpty());
  }

  @Test
  void commandsWithoutDefinitionsCannotGrowTheCacheWithoutEnd() throws IOException {
    write(first, "HELLO", "[data]\n");
    MessageDefinitions definitions = MessageDefinitions.parse(first.toString(), false);
    for (int i = 0; i < MessageDefinitions.MAX_CACHED + 500; i++) {
      assertTrue(definitions.find("JUNK_" + i).parameters().isEmpty());
    }
    assertEquals(MessageDefinitions.MAX_CACHED, definitions.cachedCommands());
    assertEquals("data", definitions.find("HELLO").parameters().getFirst().name());
    assertEquals(MessageDefinitions.MAX_CACHED + 1, definitions.cachedCommands());
  }

  @Test
  void builtInDefinitionsOfTheDefaultCommands() {
    MessageDefinitions builtIn = MessageDefinitions.builtIn();
    assertEquals(
        "parameter \"reply_timestamp\" of command \"ABSOLUTELY\" is required.",
        builtIn.find("ABSOLUTELY").check(Message.parse("ABSOLUTELY serial=1")));
    assertNull(builtIn.find("ABSOLUTELY").check(Message.parse("ABSOLUTELY reply_timestamp=1.5")));
    assertEquals(
        "parameter \"list\" of command \"COMMANDS\" is required.",
        builtIn.find("COMMANDS").check(Message.parse("COMMANDS")));
    assertNull(
        builtIn
            .find("SERVICE_UNAVAILABLE")
            .check(Message.parse("SERVICE_UNAVAILABLE destination_service=;unsent_command=")));
    assertEquals(
        "parameter \"timestamp\" of command \"LOG\" is required.",
        builtIn.find("LOG").check(Message.parse("LOG message=x")));
    assertTrue(builtIn.find("STOP").parameters().isEmpty());
    assertTrue(MessageDefinitions.none().find("ABSOLUTELY").parameters().isEmpty());
  }

  @Test
  void aDispatcherUsesThePath() throws IOException {
    write(first, "HELLO", "[data]\ntype=integer\n");
    Dispatcher dispatcher = new Dispatcher(MessageDefinitions.parse(first.toString(), true));
    Outbox outbox = new Outbox();
    dispatcher.setSender(outbox);
    List<String> handled = new ArrayList<>();
    dispatcher.addMatch(DispatcherMatch.command("HELLO", m -> handled.add(m.parameter("data"))));
    dispatcher.dispatch(Message.parse("HELLO data=5"));
    dispatcher.dispatch(Message.parse("<a:b HELLO"));
    assertEquals(List.of("5"), handled);
    assertEquals(
        "a:b/INVALID command=HELLO;message=parameter \"data\" of command \"HELLO\" is required.",
        outbox.only());
  }
}
