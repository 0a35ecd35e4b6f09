package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.gateway.InspectorGateway;
import java.io.IOException;

/**
 * Runs our gateway as its own process, for the out-of-process comparison with Node (whose
 * inspector is another process too): an IsolatePool with {@code isolates} tenants, a gateway on
 * 127.0.0.1 and a free port. Prints {@code URL <ws-url>} per tenant, then {@code READY}, and
 * exits when its stdin closes.
 *
 * <p>Usage: {@code GatewayServerMain <isolates> <sessionsPerIsolate>}.
 */
public final class GatewayServerMain {
  private GatewayServerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int isolates = Integer.parseInt(args[0]);
    int sessionsPerIsolate = Integer.parseInt(args[1]);
    try (PoolEndpoint tenants = new PoolEndpoint(isolates, sessionsPerIsolate);
        InspectorGateway gateway = GatewayEndpoint.newGateway(tenants, sessionsPerIsolate)) {
      for (int t = 0; t < isolates; t++) {
        System.out.println("URL " + gateway.webSocketUrl(PoolEndpoint.tenant(t)));
      }
      System.out.println("READY");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
      // Same leak check as in-process: every client closed its WebSocket before stdin closed.
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (gateway.openConnections() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      if (gateway.openConnections() > 0) {
        System.err.println(gateway.openConnections() + " gateway connections still open");
        System.exit(3);
      }
    }
  }
}
