package dev.herald.bench.exec;

import dev.herald.ring.ContentType;
import dev.herald.ring.EventDescriptor;
import dev.herald.ring.EventReader;
import dev.herald.ring.EventRing;
import dev.herald.ring.ExecEventType;
import dev.herald.ring.PollResult;
import dev.herald.ring.exec.AccountAccess;
import dev.herald.ring.exec.AccountAccessListHeader;
import dev.herald.ring.exec.BlockAssembler;
import dev.herald.ring.exec.BlockDrop;
import dev.herald.ring.exec.BlockEnd;
import dev.herald.ring.exec.BlockFinalized;
import dev.herald.ring.exec.BlockQc;
import dev.herald.ring.exec.BlockSink;
import dev.herald.ring.exec.BlockStart;
import dev.herald.ring.exec.BlockUpdate;
import dev.herald.ring.exec.BlockVerified;
import dev.herald.ring.exec.ExecDecoder;
import dev.herald.ring.exec.StorageAccess;
import dev.herald.ring.exec.TxnAccessListEntry;
import dev.herald.ring.exec.TxnCallFrame;
import dev.herald.ring.exec.TxnEvmOutput;
import dev.herald.ring.exec.TxnHeaderStart;
import dev.herald.ring.exec.TxnLog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Events per second decoded from the upstream snapshot, one invocation being all of its events in
 * seqno order. {@link #views} and {@link #byteBuffer} read the same fields (the scalars of each
 * payload: numbers, lengths, counts, flags), check the payload's size against its struct and
 * trailing lengths, and confirm validity after reading; {@link #records} copies every field into
 * the immutable records; {@link #assemble} feeds every event to a {@link BlockAssembler}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class ExecDecodeBenchmark {
  /** Events in the upstream 30-block snapshot. */
  static final int EVENTS = 136_891;

  private EventRing ring;
  private EventDescriptor[] events;
  private final ExecDecoder decoder = new ExecDecoder();
  private final BlockStart.View blockStart = new BlockStart.View();
  private final BlockEnd.View blockEnd = new BlockEnd.View();
  private final BlockQc.View blockQc = new BlockQc.View();
  private final BlockFinalized.View blockFinalized = new BlockFinalized.View();
  private final BlockVerified.View blockVerified = new BlockVerified.View();
  private final TxnHeaderStart.View header = new TxnHeaderStart.View();
  private final TxnAccessListEntry.View accessListEntry = new TxnAccessListEntry.View();
  private final TxnEvmOutput.View output = new TxnEvmOutput.View();
  private final TxnLog.View log = new TxnLog.View();
  private final TxnCallFrame.View frame = new TxnCallFrame.View();
  private final AccountAccessListHeader.View accessListHeader = new AccountAccessListHeader.View();
  private final AccountAccess.View account = new AccountAccess.View();
  private final StorageAccess.View storage = new StorageAccess.View();

  /** Opens the snapshot and reads its descriptors once. */
  @Setup(Level.Trial)
  public void setUp() {
    ring = EventRing.openSnapshot(snapshot(), ContentType.EXEC);
    List<EventDescriptor> all = new ArrayList<>(EVENTS);
    EventReader reader = ring.reader();
    EventDescriptor d = new EventDescriptor();
    while (reader.poll(d) == PollResult.EVENT) {
      all.add(d);
      d = new EventDescriptor();
    }
    if (all.size() != EVENTS) {
      throw new IllegalStateException(
          "the snapshot holds " + all.size() + " events, not " + EVENTS);
    }
    events = all.toArray(EventDescriptor[]::new);
  }

  /** Unmaps the snapshot. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ring.close();
  }

  private static Path snapshot() {
    String named = System.getProperty("herald.exec.snapshot");
    if (named != null) {
      return Path.of(named);
    }
    String relative = "shared/data/monad/exec-events-emn-30b-15m/snapshot.zst";
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(
        relative + " not found above the working directory; name it with -Dherald.exec.snapshot");
  }

  /**
   * Herald's flyweight views: wrap (checks the structure), read the scalars in place, confirm.
   *
   * @return the sum of the fields read
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long views() {
    long acc = 0;
    for (EventDescriptor d : events) {
      ExecEventType type = ExecEventType.ofCode(d.eventType());
      acc +=
          switch (type) {
            case BLOCK_START -> {
              blockStart.wrap(ring, d);
              long v =
                  blockStart.number()
                      + blockStart.gasLimit()
                      + blockStart.timestamp()
                      + blockStart.txnCount();
              yield blockStart.valid() ? v : 0;
            }
            case BLOCK_END -> {
              blockEnd.wrap(ring, d);
              long v = blockEnd.gasUsed();
              yield blockEnd.valid() ? v : 0;
            }
            case BLOCK_QC -> {
              blockQc.wrap(ring, d);
              long v = blockQc.round() + blockQc.epoch();
              yield blockQc.valid() ? v : 0;
            }
            case BLOCK_FINALIZED -> {
              blockFinalized.wrap(ring, d);
              yield blockFinalized.valid() ? 1 : 0;
            }
            case BLOCK_VERIFIED -> {
              blockVerified.wrap(ring, d);
              long v = blockVerified.blockNumber();
              yield blockVerified.valid() ? v : 0;
            }
            case TXN_HEADER_START -> {
              header.wrap(ring, d);
              long v =
                  header.txnType()
                      + header.nonce()
                      + header.gasLimit()
                      + header.dataLength()
                      + header.accessListCount();
              yield header.valid() ? v : 0;
            }
            case TXN_ACCESS_LIST_ENTRY -> {
              accessListEntry.wrap(ring, d);
              long v = accessListEntry.index() + accessListEntry.storageKeyCount();
              yield accessListEntry.valid() ? v : 0;
            }
            case TXN_EVM_OUTPUT -> {
              output.wrap(ring, d);
              long v =
                  (output.status() ? 1 : 0)
                      + output.logCount()
                      + output.gasUsed()
                      + output.callFrameCount();
              yield output.valid() ? v : 0;
            }
            case TXN_LOG -> {
              log.wrap(ring, d);
              long v = log.index() + log.topicCount() + log.dataLength();
              yield log.valid() ? v : 0;
            }
            case TXN_CALL_FRAME -> {
              frame.wrap(ring, d);
              long v =
                  frame.index()
                      + frame.opcode()
                      + frame.gas()
                      + frame.gasUsed()
                      + frame.inputLength()
                      + frame.returnLength();
              yield frame.valid() ? v : 0;
            }
            case ACCOUNT_ACCESS_LIST_HEADER -> {
              accessListHeader.wrap(ring, d);
              long v = accessListHeader.entryCount() + accessListHeader.accessContext();
              yield accessListHeader.valid() ? v : 0;
            }
            case ACCOUNT_ACCESS -> {
              account.wrap(ring, d);
              long v =
                  account.index()
                      + account.prestateNonce()
                      + account.modifiedNonce()
                      + account.storageKeyCount();
              yield account.valid() ? v : 0;
            }
            case STORAGE_ACCESS -> {
              storage.wrap(ring, d);
              long v =
                  storage.index()
                      + (storage.modified() ? 1 : 0)
                      + (storage.transientStorage() ? 1 : 0);
              yield storage.valid() ? v : 0;
            }
            default -> 0; // markers: nothing to decode
          };
    }
    return acc;
  }

  /**
   * The baseline: the same fields and size checks through a {@link ByteBuffer} over a copy of each
   * payload ({@code copyPayload} checks validity before and after the copy).
   *
   * @return the sum of the fields read
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long byteBuffer() {
    long acc = 0;
    for (EventDescriptor d : events) {
      ExecEventType type = ExecEventType.ofCode(d.eventType());
      if (d.payloadSize() == 0) {
        continue; // markers
      }
      byte[] bytes = ring.copyPayload(d);
      if (bytes == null) {
        continue; // expired
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int size = bytes.length;
      acc +=
          switch (type) {
            case BLOCK_START -> {
              check(size == 528);
              yield b.getLong(280) + b.getLong(288) + b.getLong(296) + b.getLong(448);
            }
            case BLOCK_END -> {
              check(size == 360);
              yield b.getLong(352);
            }
            case BLOCK_QC -> {
              check(size == 56);
              yield b.getLong(40) + b.getLong(48);
            }
            case BLOCK_FINALIZED -> {
              check(size == 40);
              yield 1;
            }
            case BLOCK_VERIFIED -> {
              check(size == 8);
              yield b.getLong(0);
            }
            case TXN_HEADER_START -> {
              long data = Integer.toUnsignedLong(b.getInt(336));
              long blobs = Integer.toUnsignedLong(b.getInt(340));
              check(size == 352 + data + 32 * blobs);
              yield (b.get(56) & 0xff)
                  + b.getLong(96)
                  + b.getLong(104)
                  + data
                  + Integer.toUnsignedLong(b.getInt(344));
            }
            case TXN_ACCESS_LIST_ENTRY -> {
              long keys = Integer.toUnsignedLong(b.getInt(24));
              check(size == 28 + 32 * keys);
              yield Integer.toUnsignedLong(b.getInt(0)) + keys;
            }
            case TXN_EVM_OUTPUT -> {
              check(size == 24);
              yield (b.get(0) != 0 ? 1 : 0)
                  + Integer.toUnsignedLong(b.getInt(4))
                  + b.getLong(8)
                  + Integer.toUnsignedLong(b.getInt(16));
            }
            case TXN_LOG -> {
              int topics = b.get(24) & 0xff;
              long data = Integer.toUnsignedLong(b.getInt(28));
              check(topics <= 4 && size == 32 + 32L * topics + data);
              yield Integer.toUnsignedLong(b.getInt(0)) + topics + data;
            }
            case TXN_CALL_FRAME -> {
              long input = b.getLong(112);
              long ret = b.getLong(120);
              check(input >= 0 && ret >= 0 && size == 128 + input + ret);
              yield Integer.toUnsignedLong(b.getInt(0))
                  + (b.get(44) & 0xff)
                  + b.getLong(80)
                  + b.getLong(88)
                  + input
                  + ret;
            }
            case ACCOUNT_ACCESS_LIST_HEADER -> {
              check(size == 8);
              yield Integer.toUnsignedLong(b.getInt(0)) + (b.get(4) & 0xff);
            }
            case ACCOUNT_ACCESS -> {
              check(size == 152);
              yield Integer.toUnsignedLong(b.getInt(0))
                  + b.getLong(32)
                  + b.getLong(136)
                  + Integer.toUnsignedLong(b.getInt(144));
            }
            case STORAGE_ACCESS -> {
              check(size == 124);
              yield Integer.toUnsignedLong(b.getInt(20))
                  + (b.get(25) != 0 ? 1 : 0)
                  + (b.get(26) != 0 ? 1 : 0);
            }
            default -> 0;
          };
    }
    return acc;
  }

  private static void check(boolean structureMatches) {
    if (!structureMatches) {
      throw new IllegalStateException("a payload disagrees with its structure");
    }
  }

  /**
   * Every field of every payload copied into Herald's immutable records.
   *
   * @param bh consumes the records
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void records(Blackhole bh) {
    for (EventDescriptor d : events) {
      bh.consume(decoder.decode(ring, d));
    }
  }

  /**
   * Block assembly: every event decoded and fed to a fresh assembler, which emits the snapshot's
   * 119 updates.
   *
   * @param bh consumes the updates
   * @return the number of updates
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int assemble(Blackhole bh) {
    int[] updates = {0};
    BlockAssembler assembler =
        new BlockAssembler(
            new BlockSink() {
              @Override
              public void update(BlockUpdate u) {
                updates[0]++;
                bh.consume(u);
              }

              @Override
              public void dropped(BlockDrop drop) {
                throw new IllegalStateException(drop.describe());
              }
            });
    for (EventDescriptor d : events) {
      assembler.accept(ring, d);
    }
    return updates[0];
  }
}
