package dev.isolatepool.samples;

import dev.isolatepool.inspector.CdpSink;
import dev.isolatepool.inspector.DetachReason;
import dev.isolatepool.inspector.InspectorSession;
import dev.isolatepool.pool.IsolatePool;
import java.util.concurrent.CompletableFuture;

/**
 * TEMPORARY workaround for a pool-core gap; delete once pool-core creates each runtime's V8
 * inspector before any tenant script runs.
 *
 * <p>Javet creates a runtime's native V8 inspector lazily, on the first
 * {@code createV8Inspector}, and only then registers the context with it. A script compiled
 * before that has no inspector context: a debugger that attaches later never gets its
 * {@code Debugger.scriptParsed} and breakpoints by URL never bind. Opening (and closing) a
 * session through the pool before deploying creates the inspector, so the deployed script is
 * debuggable. It does not cover scripts the pool replays onto a brand-new isolate after an
 * eviction.
 *
 * <p>Thread contract: non-blocking; the returned future completes on a pool thread.
 */
final class InspectorPrimer {
  private static final CdpSink DISCARD = new CdpSink() {
    @Override
    public boolean offer(String cdpMessage) {
      return true;
    }

    @Override
    public void closed(DetachReason reason) {}
  };

  private InspectorPrimer() {}

  /** Leases the tenant a worker if it has none and makes sure its V8 inspector exists. */
  static CompletableFuture<Void> prime(IsolatePool pool, String tenantId) {
    return pool.openSession(tenantId, DISCARD).thenCompose(InspectorSession::close);
  }
}
