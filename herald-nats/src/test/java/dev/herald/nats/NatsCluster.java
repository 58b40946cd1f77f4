package dev.herald.nats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Three real {@code nats-server} nodes forming one JetStream cluster on loopback ports, so a test
 * can create an R3 stream and kill a node under it.
 */
public final class NatsCluster implements AutoCloseable {
  private final List<NatsServer> nodes;

  private NatsCluster(List<NatsServer> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts three nodes; each routes to the other two.
   *
   * @param dir where the nodes keep their stores and logs
   * @return the running cluster (a JetStream leader may take a few seconds to be elected)
   */
  public static NatsCluster start(Path dir) throws IOException {
    int[] clientPorts = new int[3];
    int[] clusterPorts = new int[3];
    for (int i = 0; i < 3; i++) {
      clientPorts[i] = NatsServer.freePort();
      clusterPorts[i] = NatsServer.freePort();
    }
    String routes =
        java.util.Arrays.stream(clusterPorts)
            .mapToObj(p -> "nats://127.0.0.1:" + p)
            .collect(Collectors.joining(","));
    List<NatsServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        NatsServer node =
            NatsServer.clusterNode(
                "n" + i, dir, clientPorts[i], "herald-test", clusterPorts[i], routes);
        nodes.add(node);
        node.launch();
      }
    } catch (IOException | RuntimeException e) {
      nodes.forEach(NatsServer::close);
      throw e;
    }
    return new NatsCluster(List.copyOf(nodes));
  }

  /** The nodes, in start order. */
  public List<NatsServer> nodes() {
    return nodes;
  }

  /** Every node's URL, comma-separated, as the command line takes them. */
  public String urls() {
    return nodes.stream().map(NatsServer::url).collect(Collectors.joining(","));
  }

  @Override
  public void close() {
    nodes.forEach(NatsServer::close);
  }
}
