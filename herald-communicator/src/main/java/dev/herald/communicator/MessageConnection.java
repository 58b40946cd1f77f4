package dev.herald.communicator;

import dev.herald.dispatcher.Dispatcher;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageException;
import dev.herald.dispatcher.MessageSender;
import dev.herald.dispatcher.MessageWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream connection that carries eventdispatcher messages, one per line (upstream's {@code
 * *_message_connection} classes, for any transport): each line is parsed by herald-dispatcher's
 * parser (string or JSON form), marked as coming from this connection ({@link Message#origin()})
 * and dispatched, so that replies (ALIVE → ABSOLUTELY, HELP → COMMANDS, UNKNOWN, ...) go back on
 * the connection the message came from, whether the {@link Dispatcher} is this connection's own or
 * shared by many. An empty line is ignored; a line that is not a message is logged and dropped, as
 * upstream does; the connection goes on.
 *
 * <p>{@link #sendMessage} works from any thread: on the loop thread the message is written at once
 * (what the transport does not take is kept, see {@link StreamConnection}); from another thread it
 * is serialised there and handed to the loop through {@link Communicator#post}, in the order sent.
 *
 * <pre>{@code
 * Dispatcher dispatcher = new Dispatcher();
 * DefaultCommands defaults = DefaultCommands.install(dispatcher, hooks); // ALIVE, HELP, ...
 * MessageConnection hub = MessageConnection.open(communicator, "hub", transport, dispatcher);
 * dispatcher.setSender(hub);                     // where REGISTER and other unsolicited sends go
 * defaults.registerService("my_service");        // REGISTER service=my_service;version=1
 * hub.sendMessage(new Message().setCommand("PING"));  // from any thread
 * }</pre>
 */
public final class MessageConnection implements MessageSender {
  private static final Logger LOG = LoggerFactory.getLogger(MessageConnection.class);

  /** Writers for sends from threads other than the loop's. */
  private static final ThreadLocal<MessageWriter> WRITERS =
      ThreadLocal.withInitial(MessageWriter::new);

  /** How much of an invalid line a log line shows. */
  private static final int LOGGED_LINE = 200;

  private final Dispatcher dispatcher;
  private final StreamConnection stream;
  private BiConsumer<MessageConnection, CommunicatorException> onClosed = (c, failure) -> {};
  private BiConsumer<MessageConnection, MessageException> onInvalidLine = (c, problem) -> {};

  private MessageConnection(
      Communicator communicator,
      String name,
      Transport transport,
      Dispatcher dispatcher,
      int maximumLineLength) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.stream =
        StreamConnection.open(
            communicator, name, transport, Framing.lines(maximumLineLength), new Lines());
  }

  /**
   * Opens a message connection with lines of up to {@link Framing#DEFAULT_MAXIMUM_LINE_LENGTH}
   * bytes, and adds it to {@code communicator}.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param transport the bytes; owned by the connection from now on
   * @param dispatcher where the messages go; its own or shared
   * @return the connection
   * @throws CommunicatorException as {@link StreamConnection#open}
   */
  public static MessageConnection open(
      Communicator communicator, String name, Transport transport, Dispatcher dispatcher) {
    return open(communicator, name, transport, dispatcher, Framing.DEFAULT_MAXIMUM_LINE_LENGTH);
  }

  /**
   * Opens a message connection and adds it to {@code communicator}.
   *
   * @param communicator the loop
   * @param name the name used in logs and errors
   * @param transport the bytes; owned by the connection from now on
   * @param dispatcher where the messages go; its own or shared
   * @param maximumLineLength the longest message accepted; a longer line closes the connection
   * @return the connection
   * @throws CommunicatorException as {@link StreamConnection#open}
   */
  public static MessageConnection open(
      Communicator communicator,
      String name,
      Transport transport,
      Dispatcher dispatcher,
      int maximumLineLength) {
    return new MessageConnection(communicator, name, transport, dispatcher, maximumLineLength);
  }

  /**
   * The stream underneath: its connection (priority, timeout), pending output, bound, close.
   *
   * @return the stream connection
   */
  public StreamConnection stream() {
    return stream;
  }

  /**
   * The dispatcher the messages go to.
   *
   * @return the dispatcher
   */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * Sets what happens when the connection is closed (see {@link StreamHandler#closed}).
   *
   * @param onClosed called with this connection and the failure, null for an orderly end
   */
  public void onClosed(BiConsumer<MessageConnection, CommunicatorException> onClosed) {
    this.onClosed = Objects.requireNonNull(onClosed, "onClosed");
  }

  /**
   * Sets what happens, besides the log line, when a line that is not a message arrives: by default
   * nothing (upstream drops it); a service may answer it, or close the connection.
   *
   * <pre>{@code
   * connection.onInvalidLine((c, problem) -> c.sendMessage(
   *     new Message().setCommand("INVALID").addParameter("message", problem.getMessage()), false));
   * }</pre>
   *
   * @param onInvalidLine called on the loop thread with this connection and the parse failure
   */
  public void onInvalidLine(BiConsumer<MessageConnection, MessageException> onInvalidLine) {
    this.onInvalidLine = Objects.requireNonNull(onInvalidLine, "onInvalidLine");
  }

  /**
   * Sends a message, as a line in the string form.
   *
   * @param message the message
   * @param cache ignored: a connection that is closed stays closed (permanent connections cache)
   * @return on the loop thread, true when written or kept for writing, false when the connection is
   *     closed (or closed by this send); from another thread, true when handed to the loop (it is
   *     dropped there if the connection closed meanwhile), false when the communicator is closed
   * @throws MessageException when the message cannot be written (no command)
   */
  @Override
  public boolean sendMessage(Message message, boolean cache) {
    Communicator communicator = stream.communicator();
    if (communicator.isLoopThread()) {
      MessageWriter writer = communicator.buffers().writer;
      writer.writeString(message).append('\n');
      return stream.write(writer.buffer(), 0, writer.length());
    }
    MessageWriter writer = WRITERS.get();
    writer.writeString(message).append('\n');
    byte[] line = Arrays.copyOf(writer.buffer(), writer.length());
    try {
      communicator.post(
          () -> {
            if (!stream.write(line, 0, line.length)) {
              LOG.debug("connection \"{}\" closed before \"{}\" could be sent.", name(), message);
            }
          });
      return true;
    } catch (CommunicatorException closed) {
      return false;
    }
  }

  /**
   * Closes the connection once its pending output is written.
   *
   * @see StreamConnection#markDone()
   */
  public void markDone() {
    stream.markDone();
  }

  /** Closes the connection now; see {@link StreamConnection#close()}. */
  public void close() {
    stream.close();
  }

  /**
   * The connection's name.
   *
   * @return the name
   */
  public String name() {
    return stream.name();
  }

  @Override
  public String toString() {
    return "MessageConnection(" + stream + ")";
  }

  /** Parses each line and dispatches it. */
  private final class Lines implements StreamHandler {
    @Override
    public void received(StreamConnection from, byte[] data, int offset, int length) {
      if (length == 0) {
        return; // upstream ignores empty lines too
      }
      Message message;
      try {
        message = from.communicator().buffers().parser.parse(data, offset, length);
      } catch (MessageException e) {
        String line =
            new String(data, offset, Math.min(length, LOGGED_LINE), StandardCharsets.UTF_8);
        LOG.error(
            "process_line() was asked to process an invalid message ({}{}) on connection \"{}\":"
                + " {}",
            line,
            length > LOGGED_LINE ? "..." : "",
            name(),
            e.getMessage());
        onInvalidLine.accept(MessageConnection.this, e);
        return;
      }
      message.setOrigin(MessageConnection.this);
      dispatcher.dispatchMessage(message);
    }

    @Override
    public void closed(StreamConnection from, CommunicatorException failure) {
      onClosed.accept(MessageConnection.this, failure);
    }
  }
}
