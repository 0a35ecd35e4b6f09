package dev.isolatepool.benchmarks.call;

import dev.isolatepool.pool.IsolatePool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our pool: one tenant per benchmark thread, one worker per tenant, and the call goes through
 * the public API ({@code call(tenant, "handle", "[1]")}, JSON in and out, hand-off to the
 * tenant's worker thread and back).
 */
final class IsolatePoolTarget implements CallTarget {
  private final IsolatePool pool;
  private final AtomicInteger tenants = new AtomicInteger();

  IsolatePoolTarget(int workers) {
    pool = IsolatePool.builder()
        .name("bench-warm-call")
        .maxWorkers(workers)
        .minIdle(workers)
        .build();
  }

  @Override
  public Caller newCaller() {
    String tenant = "tenant-" + tenants.incrementAndGet();
    pool.deploy(tenant, SCRIPT_URL, SCRIPT).join();
    return new Caller() {
      @Override
      public int call() {
        return Integer.parseInt(pool.call(tenant, "handle", "[1]").join());
      }

      @Override
      public void close() {
        pool.evict(tenant).join();
      }
    };
  }

  @Override
  public void close() {
    pool.close();
  }
}
