package dev.herald.communicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.DispatcherMatch;
import dev.herald.os.ChildProcess;
import dev.herald.os.ChildStatus;
import dev.herald.os.Errno;
import dev.herald.os.Fd;
import dev.herald.os.Fifo;
import dev.herald.os.OsException;
import dev.herald.os.OwnedFd;
import dev.herald.os.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipes, socket pairs and FIFOs to real child processes, through the stream connections' framing:
 * each test's loop runs until its connections saw the end of stream.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeConnectionsTest {
  private final Communicator communicator = new Communicator();
  private final List<String> lines = new ArrayList<>();
  private final List<CommunicatorException> failures = new ArrayList<>();

  @AfterEach
  void close() {
    communicator.close();
  }

  /** A handler that keeps each line and how the stream ended. */
  private StreamHandler collecting() {
    return new StreamHandler() {
      @Override
      public void received(StreamConnection stream, byte[] data, int offset, int length) {
        lines.add(new String(data, offset, length, StandardCharsets.UTF_8));
      }

      @Override
      public void closed(StreamConnection stream, CommunicatorException failure) {
        if (failure != null) {
          failures.add(failure);
        }
      }
    };
  }

  private static void write(StreamConnection stream, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertTrue(stream.write(bytes, 0, bytes.length));
  }

  @Test
  void aProcessBuilderChildReadsAndWritesPipesReopenedThroughProc() throws Exception {
    try (ChildPipe input = ChildPipe.create(ChildPipe.Kind.CHILD_INPUT);
        ChildPipe output = ChildPipe.create(ChildPipe.Kind.CHILD_OUTPUT)) {
      Process tr =
          new ProcessBuilder("tr", "a-z", "A-Z")
              .redirectInput(input.redirect())
              .redirectOutput(output.redirect())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      // forked() closes the child's ends here: without it, tr's output would never end.
      StreamConnection.open(communicator, "tr out", output.forked(), Framing.lines(), collecting());
      StreamConnection in =
          StreamConnection.open(communicator, "tr in", input.forked(), Framing.raw(), collecting());
      write(in, "hello\npipes\n");
      in.markDone(); // closes tr's input once written: tr ends, and so does its output

      assertTrue(communicator.run());

      assertEquals(List.of("HELLO", "PIPES"), lines);
      assertEquals(List.of(), failures);
      assertEquals(0, tr.waitFor());
    }
  }

  @Test
  void aBidirectionalPipeIsASocketPairThatOnlyASpawnedChildCanGet() {
    try (ChildPipe both = ChildPipe.create(ChildPipe.Kind.BIDIRECTIONAL)) {
      CommunicatorException refused = assertThrows(CommunicatorException.class, both::redirect);
      assertEquals(CommunicatorException.Kind.INVALID_PARAMETER, refused.kind());
      assertTrue(refused.getMessage().contains("ChildProcess.spawn"), refused.getMessage());

      int pid =
          ChildProcess.spawn(
              List.of("sh", "-c", "read a; echo \"got $a\"; read b; echo \"got $b\""),
              Map.of(0, both.childEnd(), 1, both.childEnd()));
      StreamConnection shell =
          StreamConnection.open(communicator, "sh", both.forked(), Framing.lines(), collecting());
      write(shell, "one\ntwo\n");

      assertTrue(communicator.run()); // the shell exits, the socket ends, the connection closes

      assertEquals(List.of("got one", "got two"), lines);
      assertEquals(new ChildStatus(pid, ChildStatus.How.EXITED, 0), ChildProcess.reap(pid, true));
    }
  }

  @Test
  void messagesFromAChildArriveThroughTheSameFraming() throws Exception {
    Dispatcher dispatcher = new Dispatcher();
    List<String> received = new ArrayList<>();
    dispatcher.addMatch(DispatcherMatch.command("STATUS", m -> received.add(m.parameter("state"))));
    try (ChildPipe output = ChildPipe.create(ChildPipe.Kind.CHILD_OUTPUT)) {
      Process child =
          new ProcessBuilder("printf", "STATUS state=up\\nSTATUS state=down\\n")
              .redirectOutput(output.redirect())
              .start();
      MessageConnection.open(communicator, "child", output.forked(), dispatcher);

      assertTrue(communicator.run());

      assertEquals(List.of("up", "down"), received);
      assertEquals(0, child.waitFor());
    }
  }

  @Test
  void aFifoByPathCarriesAnotherProcesssLines(@TempDir Path directory) throws Exception {
    Path fifo = directory.resolve("commands");
    Fifo.create(fifo, 0600);
    OsException taken = assertThrows(OsException.class, () -> Fifo.create(fifo, 0600));
    assertEquals(Errno.EEXIST, taken.errno());
    OsException noReader = assertThrows(OsException.class, () -> Fifo.openWriter(fifo));
    assertEquals(Errno.ENXIO, noReader.errno());

    OwnedFd reader = Fifo.openReader(fifo); // at once, without a writer
    StreamConnection.open(
        communicator, "fifo", Transport.of(reader), Framing.lines(), collecting());
    Process writer =
        new ProcessBuilder("sh", "-c", "printf 'one\\ntwo\\n' > \"$0\"", fifo.toString()).start();

    assertTrue(communicator.run()); // the writer closes: end of stream

    assertEquals(List.of("one", "two"), lines);
    assertEquals(0, writer.waitFor());
  }

  @Test
  void anyFdWrapsIntoATransport() {
    try (Pipe pipe = Pipe.create(0)) {
      OwnedFd copy = Fd.of(pipe.source().fd()).duplicate(); // an fd known only by its number
      pipe.source().close();
      StreamConnection.open(communicator, "fd", Transport.of(copy), Framing.lines(), collecting());
      pipe.sink().write(java.lang.foreign.MemorySegment.ofArray("by number\n".getBytes()));
      pipe.sink().close();

      assertTrue(communicator.run());

      assertEquals(List.of("by number"), lines);
      assertNull(failures.isEmpty() ? null : failures.getFirst());
    }
  }

  @Test
  void writingToAChildThatStoppedReadingFailsWithEpipeNotASignal() throws Exception {
    try (ChildPipe input = ChildPipe.create(ChildPipe.Kind.CHILD_INPUT)) {
      Process child = new ProcessBuilder("true").redirectInput(input.redirect()).start();
      Transport ours = input.forked();
      assertEquals(0, child.waitFor()); // the only reader is gone
      StreamConnection stream =
          StreamConnection.open(communicator, "true", ours, Framing.raw(), collecting());

      assertFalse(stream.write(new byte[] {'x'}, 0, 1));

      assertEquals(1, failures.size());
      assertEquals(CommunicatorException.Kind.IO_ERROR, failures.getFirst().kind());
      assertEquals(Errno.EPIPE, failures.getFirst().errno());
    }
  }
}
