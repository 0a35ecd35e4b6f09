package dev.isolatepool.pool;

/** The life cycle of an isolate worker. Every change is reported to {@link WorkerListener}s. */
public enum WorkerState {
  /** Created (or reset) and in the pool, bound to no tenant. */
  IDLE,
  /** Bound to a tenant, waiting for work. */
  LEASED,
  /** Executing tenant JavaScript. */
  RUNNING,
  /** Stopped at a breakpoint; the worker thread is inside V8's pause loop. */
  PAUSED,
  /** Teardown in progress; new work and new sessions are refused. */
  RETIRING,
  /** The runtime is closed and the thread has ended. */
  CLOSED
}
