package dev.isolatepool.samples;

import dev.isolatepool.gateway.InspectorGateway;
import dev.isolatepool.pool.IsolatePool;
import java.net.BindException;
import java.util.Optional;

/**
 * The demo's DevTools gateway: an {@link InspectorGateway} in local-development mode on
 * 127.0.0.1, plus the per-tenant links the status page and the READY banner show.
 *
 * <p>Thread-safe: {@link #forTenant} only formats the gateway's stable per-tenant URL.
 */
final class DemoGateway implements DebugLinks.Source, AutoCloseable {
  private final InspectorGateway gateway;

  private DemoGateway(InspectorGateway gateway) {
    this.gateway = gateway;
  }

  /** Starts listening; a taken port is reported as a {@link BindException} naming the flag. */
  static DemoGateway start(IsolatePool pool, int port, java.util.List<String> listFirst)
      throws BindException {
    InspectorGateway gateway = InspectorGateway.builder(pool)
        .bindAddress("127.0.0.1")
        .port(port)
        .localDevelopment()
        .listFirst(listFirst.toArray(String[]::new)) // node inspect attaches to the first
        .build();
    try {
      gateway.start();
    } catch (IllegalStateException e) {
      if (causedByBindFailure(e)) {
        throw DemoPlatform.bindFailure("--gateway-port", port,
            new BindException(String.valueOf(rootCause(e).getMessage())));
      }
      throw e;
    }
    return new DemoGateway(gateway);
  }

  private static boolean causedByBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  int port() {
    return gateway.port();
  }

  @Override
  public Optional<DebugLinks> forTenant(String tenantId) {
    return Optional.of(DebugLinks.forWebSocket(gateway.webSocketUrl(tenantId)));
  }

  @Override
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Ends every remaining WebSocket (close code 1001) and stops the event loop. */
  @Override
  public void close() {
    gateway.close();
  }
}
