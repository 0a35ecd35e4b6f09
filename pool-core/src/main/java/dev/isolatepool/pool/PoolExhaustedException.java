package dev.isolatepool.pool;

/** No worker could be had for a tenant within the acquire timeout. Carries the pool's counts. */
public final class PoolExhaustedException extends PoolException {
  private final PoolStats stats;

  public PoolExhaustedException(String tenantId, long timeoutMillis, PoolStats stats) {
    super("no isolate worker for tenant '" + tenantId + "' after " + timeoutMillis
        + " ms (acquireTimeout) (total=" + stats.total() + ", leased=" + stats.leased()
        + ", idle=" + stats.idle() + ", waiting=" + stats.waiting() + ", max=" + stats.maxWorkers()
        + ")");
    this.stats = stats;
  }

  public PoolStats stats() {
    return stats;
  }
}
