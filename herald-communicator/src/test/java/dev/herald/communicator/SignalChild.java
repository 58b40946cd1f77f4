package dev.herald.communicator;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.os.ChildProcess;
import dev.herald.os.Signals;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link SignalChildJvmTest}: a loop with listeners for SIGUSR1, SIGTERM and
 * SIGCHLD, reporting on standard output, one line per event. Its own children: one that exits 7,
 * one that sleeps until killed (both spawned, so reaped by the loop) and one {@link ProcessBuilder}
 * child that exits 3 (reaped by the JVM, whose exit value must survive the SIGCHLD listener).
 */
final class SignalChild {
  private SignalChild() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
    try (Communicator communicator = new Communicator()) {
      SignalConnection usr1 =
          SignalConnection.open(
              communicator,
              Signals.SIGUSR1,
              (c, info) -> out.println("USR1 from " + info.senderPid()));
      ChildExits exits = ChildExits.open(communicator);
      SignalConnection term =
          SignalConnection.open(
              communicator,
              Signals.SIGTERM,
              (c, info) -> {
                out.println("TERM from " + info.senderPid());
                c.close();
                usr1.close();
                exits.close();
              });
      out.println(
          "blocked everywhere "
              + (usr1.threadsNotBlocking().isEmpty()
                  && term.threadsNotBlocking().isEmpty()
                  && exits.signal().threadsNotBlocking().isEmpty()));

      int exit7 = ChildProcess.spawn(List.of("sh", "-c", "exit 7"), Map.of());
      int sleeper = ChildProcess.spawn(List.of("sleep", "60"), Map.of());
      exits.watch(exit7, status -> out.println("exit7 " + status.how() + " " + status.value()));
      exits.watch(sleeper, status -> out.println("sleep " + status.how() + " " + status.value()));
      Process javaChild = new ProcessBuilder("sh", "-c", "exit 3").start();
      javaChild
          .onExit()
          .thenAccept(p -> communicator.post(() -> out.println("process exit " + p.exitValue())));
      out.println("ready " + sleeper);

      communicator.run();
      out.println("end");
    }
  }
}
