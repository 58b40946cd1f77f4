package dev.herald.communicator;

import dev.herald.os.EventFd;
import java.util.List;
import java.util.function.Consumer;

/**
 * A connection handler for tests: records each callback as {@code "name:callback@round"} in a
 * shared log, and runs the test's action on readable and timeout.
 */
final class Probe implements ConnectionHandler {
  final String name;
  final List<String> log;
  final Communicator communicator;
  Consumer<Connection> onReadable = c -> {};
  Consumer<Connection> onWritable = c -> {};
  Consumer<Connection> onTimeout = c -> {};
  Runnable onRemoved = () -> {};
  boolean removed;

  Probe(String name, List<String> log, Communicator communicator) {
    this.name = name;
    this.log = log;
    this.communicator = communicator;
  }

  /** A connection on a new eventfd that is readable until taken. */
  Connection readableConnection(int priority) {
    EventFd fd = EventFd.create(EventFd.NONBLOCK);
    fd.add(1);
    onRemoved = fd::close;
    Connection connection = Connection.of(name, fd, this);
    connection.setPriority(priority);
    return connection;
  }

  private void record(String callback) {
    log.add(name + ":" + callback + "@" + communicator.rounds());
  }

  @Override
  public void readable(Connection connection) {
    record("readable");
    onReadable.accept(connection);
  }

  @Override
  public void writable(Connection connection) {
    record("writable");
    onWritable.accept(connection);
  }

  @Override
  public void error(Connection connection) {
    record("error");
    ConnectionHandler.super.error(connection);
  }

  @Override
  public void hangUp(Connection connection) {
    record("hangUp");
    ConnectionHandler.super.hangUp(connection);
  }

  @Override
  public void invalid(Connection connection) {
    record("invalid");
    ConnectionHandler.super.invalid(connection);
  }

  @Override
  public void timeout(Connection connection) {
    record("timeout");
    onTimeout.accept(connection);
  }

  @Override
  public void removed(Connection connection) {
    record("removed");
    removed = true;
    onRemoved.run();
  }
}
