package dev.herald.tools;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventRing;
import dev.herald.ring.RingEventHandler;
import dev.herald.ring.RingFollower;
import dev.herald.ring.RingSnapshots;
import dev.herald.ring.WriterState;
import dev.herald.ring.exec.BlockAssembler;
import dev.herald.ring.exec.BlockDrop;
import dev.herald.ring.exec.BlockSink;
import dev.herald.ring.exec.BlockUpdate;
import dev.herald.ring.exec.ExecJson;
import dev.herald.ring.exec.ExecutedBlock;
import dev.herald.ring.exec.ExecutedTxn;
import dev.herald.ring.exec.JsonText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald ring blocks}: executed blocks and their commit-state changes, assembled from an
 * EXEC ring (live) or an EXEC snapshot. Dropped blocks are never printed; one stderr line says
 * which block and why.
 */
@Command(
    name = "blocks",
    mixinStandardHelpOptions = true,
    description =
        "Prints executed blocks and their commit states (Proposed, Voted, Finalized, Verified)"
            + " from an EXEC ring or snapshot. --json: a snapshot's updates as one JSON array,"
            + " formatted as upstream's expected.json; a live ring's as one compact JSON update"
            + " per line.")
final class RingBlocks implements Callable<Integer> {
  @Parameters(index = "0", description = "EXEC ring file or zstd snapshot.")
  private Path path;

  @Option(names = "--json", description = "Upstream's JSON form instead of one line per update.")
  private boolean json;

  @Mixin private FollowOptions follow;

  RingBlocks() {}

  @Override
  public Integer call() {
    try (ShutdownGate gate = ShutdownGate.install()) {
      blocks(gate);
    }
    return 0;
  }

  private void blocks(ShutdownGate gate) {
    long limit = follow.limit();
    boolean snapshot = RingSnapshots.isSnapshot(path);
    PrintStream out = System.out;
    List<Object> collected = new ArrayList<>();
    AtomicLong printed = new AtomicLong();
    BlockSink sink =
        new BlockSink() {
          @Override
          public void update(BlockUpdate u) {
            if (printed.get() == limit) {
              return;
            }
            printed.incrementAndGet();
            if (!json) {
              out.println(line(u));
            } else if (snapshot) {
              collected.add(ExecJson.update(u));
            } else {
              out.println(JsonText.compact(ExecJson.update(u)));
              out.flush();
            }
          }

          @Override
          public void dropped(BlockDrop d) {
            System.err.println("herald ring blocks: " + d.describe());
          }
        };
    BlockAssembler assembler = new BlockAssembler(sink);
    try (EventRing ring = RingCommand.open(path, ContentType.EXEC)) {
      RingEventHandler handler =
          new RingEventHandler() {
            @Override
            public void onEvent(EventRing r, EventDescriptor d) {
              assembler.accept(r, d);
            }

            @Override
            public void onGap(long expectedSeqno, long lastSeqno) {
              assembler.gap(
                  "events from seqno "
                      + expectedSeqno
                      + " were overwritten before they were read (writer at "
                      + lastSeqno
                      + ")");
            }
          };
      RingFollower follower = new RingFollower(ring, follow.from(), handler);
      WriterState end =
          follower.follow(follow.period(), () -> printed.get() != limit && !gate.stopRequested());
      if (assembler.inBlock() && printed.get() != limit) {
        System.err.println(
            "herald ring blocks: the "
                + (snapshot ? "snapshot" : "ring")
                + " ends inside a block; that block is not printed");
      }
      if (json && snapshot) {
        out.print(JsonText.pretty(collected) + "\n");
      }
      out.flush();
      if (end == WriterState.REPLACED) {
        System.err.println("writer restarted: " + path + " is a new ring now");
      }
    }
  }

  /** One readable line per update. */
  private static String line(BlockUpdate u) {
    ExecutedBlock b = u.block();
    String head =
        String.format(
            "%-9s %s id %s",
            u.state().upstreamName(), Long.toUnsignedString(b.tag().blockNumber()), b.tag().id());
    return switch (u.state()) {
      case PROPOSED -> {
        long logs = 0;
        for (ExecutedTxn t : b.transactions()) {
          logs += t.logs().size();
        }
        yield head
            + " hash "
            + b.end().ethBlockHash()
            + " txns "
            + b.transactions().size()
            + " logs "
            + logs
            + " gas "
            + Long.toUnsignedString(b.end().gasUsed());
      }
      case FINALIZED ->
          head + (u.abandoned().isEmpty() ? "" : " abandoned " + u.abandoned().size());
      default -> head;
    };
  }
}
