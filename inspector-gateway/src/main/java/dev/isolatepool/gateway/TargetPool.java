package dev.isolatepool.gateway;

import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.pool.IsolatePool;
import dev.isolatepool.pool.WorkerInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The two pool operations the gateway uses. Both are non-blocking, so event-loop threads may
 * call them. Production code always adapts an {@link IsolatePool}.
 */
interface TargetPool {

  /** A snapshot of the pool's workers. */
  List<WorkerInfo> workers();

  /** Opens a session on the tenant's isolate, leasing one if the tenant has none. */
  CompletableFuture<InspectorSession> openSession(String tenantId, CdpSink sink);

  static TargetPool of(IsolatePool pool) {
    return new TargetPool() {
      @Override
      public List<WorkerInfo> workers() {
        return pool.workers();
      }

      @Override
      public CompletableFuture<InspectorSession> openSession(String tenantId, CdpSink sink) {
        return pool.openSession(tenantId, sink);
      }
    };
  }
}
