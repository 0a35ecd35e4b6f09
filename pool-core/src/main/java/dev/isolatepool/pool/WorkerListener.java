package dev.isolatepool.pool;

/**
 * Observes worker state changes, for tests, metrics and status pages.
 *
 * <p>Called synchronously on the thread that made the change (usually the worker thread, which
 * may be inside V8). Implementations must be fast, must not block and must not call the pool.
 */
@FunctionalInterface
public interface WorkerListener {
  void stateChanged(int contextGroupId, String tenantId, WorkerState from, WorkerState to);
}
