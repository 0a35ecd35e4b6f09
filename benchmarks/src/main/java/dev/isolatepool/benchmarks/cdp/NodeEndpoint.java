package dev.isolatepool.benchmarks.cdp;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node 20's own inspector, reached over WebSocket by the same client as our gateway. Starts
 * {@code processes} Node processes; session {@code i} goes to process {@code i % processes}
 * (Node accepts several sessions per process).
 */
final class NodeEndpoint implements CdpEndpoint {
  private final List<NodeInspector> nodes = new ArrayList<>();
  private final HttpClient client;

  NodeEndpoint(int processes, HttpClient client) throws Exception {
    this.client = client;
    try {
      for (int i = 0; i < processes; i++) {
        nodes.add(NodeInspector.start());
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  String version() {
    return nodes.get(0).version();
  }

  @Override
  public String name() {
    return "Node " + version() + " --inspect" + (nodes.size() == 1 ? ""
        : ", " + nodes.size() + " processes");
  }

  @Override
  public int targets() {
    return nodes.size();
  }

  @Override
  public CdpConnection open(int index) throws Exception {
    return WebSocketConnection.open(client, nodes.get(index % nodes.size()).webSocketUrl())
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public long serverCpuNanos() {
    long total = 0;
    for (NodeInspector node : nodes) {
      long cpu = node.cpuNanos();
      if (cpu < 0) {
        return -1;
      }
      total += cpu;
    }
    return total;
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeInspector node : nodes) {
      node.close();
    }
  }
}
