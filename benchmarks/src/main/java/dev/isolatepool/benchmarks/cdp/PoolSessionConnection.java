package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.pool.IsolatePool;
import java.util.concurrent.CompletableFuture;

/**
 * A CDP session straight through pool-core's session API, no network: {@code send} goes to
 * {@link InspectorSession#send}, and the sink delivers responses on the worker thread.
 */
final class PoolSessionConnection extends CdpConnection {
  private volatile InspectorSession session;

  private PoolSessionConnection() {}

  /** Opens a session on {@code tenant}'s isolate (leasing one if the tenant has none). */
  static CompletableFuture<PoolSessionConnection> open(IsolatePool pool, String tenant) {
    PoolSessionConnection connection = new PoolSessionConnection();
    CdpSink sink = new CdpSink() {
      @Override
      public boolean offer(String cdpMessage) {
        connection.deliver(cdpMessage);
        return true;
      }

      @Override
      public void closed(DetachReason reason) {
        connection.closed.complete(reason.name());
      }
    };
    return pool.openSession(tenant, sink).thenApply(s -> {
      connection.session = s;
      return connection;
    });
  }

  @Override
  void send(String message) {
    session.send(message);
  }

  @Override
  public void close() {
    session.close().join();
  }
}
