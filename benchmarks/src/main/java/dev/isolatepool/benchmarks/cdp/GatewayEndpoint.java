package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.gateway.InspectorGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.TimeUnit;

/**
 * Our inspector gateway, started in the benchmark's own JVM over an IsolatePool with
 * {@code isolates} tenants (one worker each), in local-development mode on 127.0.0.1 and a free
 * port. Session {@code i} connects to tenant {@code i % isolates}'s stable WebSocket URL.
 * {@link #newGateway} holds the settings shared with the out-of-process run
 * ({@link GatewayServerMain}): the per-session message-rate limit is raised far above what one
 * session can send, so the limiter is not what is measured; every other gateway setting is its
 * default (one Netty event-loop thread).
 */
final class GatewayEndpoint implements CdpEndpoint {
  private final PoolEndpoint tenants;
  private final InspectorGateway gateway;
  private final HttpClient client;

  private GatewayEndpoint(PoolEndpoint tenants, InspectorGateway gateway, HttpClient client) {
    this.tenants = tenants;
    this.gateway = gateway;
    this.client = client;
  }

  static CdpEndpoint start(int isolates, int sessionsPerIsolate, HttpClient client) {
    PoolEndpoint tenants = new PoolEndpoint(isolates, sessionsPerIsolate);
    try {
      return new GatewayEndpoint(tenants, newGateway(tenants, sessionsPerIsolate), client);
    } catch (RuntimeException e) {
      tenants.close();
      throw e;
    }
  }

  /** A started gateway over {@code tenants}' pool with the benchmark's settings. */
  static InspectorGateway newGateway(PoolEndpoint tenants, int sessionsPerIsolate) {
    int sessions = Math.max(2, sessionsPerIsolate + 1);
    return InspectorGateway.builder(tenants.pool())
        .port(0)
        .maxSessionsPerTarget(sessions)
        .maxSessionsPerTenant(sessions)
        .maxMessagesPerSecond(10_000_000)
        .build()
        .start();
  }

  @Override
  public String name() {
    return "our gateway, client's JVM";
  }

  @Override
  public int targets() {
    return tenants.targets();
  }

  @Override
  public CdpConnection open(int index) throws Exception {
    URI url = URI.create(gateway.webSocketUrl(PoolEndpoint.tenant(index % tenants.targets())));
    return WebSocketConnection.open(client, url).get(30, TimeUnit.SECONDS);
  }

  /**
   * Checks that no WebSocket channel outlived its client (waiting up to 5 s for closes to land),
   * then stops the gateway and closes the pool, which checks for leaked sessions.
   */
  @Override
  public void close() {
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (gateway.openConnections() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      if (gateway.openConnections() > 0) {
        throw new IllegalStateException(gateway.openConnections() + " gateway connections still"
            + " open after every client closed its WebSocket");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        gateway.close();
      } finally {
        tenants.close();
      }
    }
  }
}
