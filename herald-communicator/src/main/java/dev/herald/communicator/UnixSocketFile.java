package dev.herald.communicator;

import dev.herald.os.Errno;
import dev.herald.os.OsException;
import dev.herald.os.Socket;
import dev.herald.os.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file a Unix socket bound to a path leaves in the file system: the servers (stream listeners
 * and datagram servers) replace one that nobody serves any more and remove their own when they
 * close.
 */
final class UnixSocketFile {
  private static final Logger LOG = LoggerFactory.getLogger(UnixSocketFile.class);

  private UnixSocketFile() {}

  /**
   * Removes the socket file at {@code address} if nobody is bound to it any more (its server died
   * without cleaning up); a live one is left, so that bind reports {@code EADDRINUSE}.
   *
   * @param address the path
   * @param stream whether to probe with a stream socket (else a datagram socket)
   */
  static void removeIfStale(SocketAddress.UnixPath address, boolean stream) {
    Path path = address.path();
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Socket probe =
        stream
            ? Socket.stream(Socket.Family.UNIX, Socket.NONBLOCK)
            : Socket.datagram(Socket.Family.UNIX, Socket.NONBLOCK)) {
      probe.connect(address);
      // Someone is bound to it: leave it.
    } catch (OsException e) {
      if (e.errno() == Errno.ECONNREFUSED) {
        LOG.info("removing the stale Unix socket file {} (nobody is bound to it).", path);
        delete(path);
      }
    }
  }

  /** Removes a socket file; a failure is logged, as there is nothing else to do about it. */
  static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("cannot remove the Unix socket file {}: {}", path, e.getMessage());
    }
  }
}
