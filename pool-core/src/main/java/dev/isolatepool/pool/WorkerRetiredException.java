package dev.isolatepool.pool;

/** The call never ran, or was cut short, because its worker was torn down. */
public final class WorkerRetiredException extends PoolException {
  public WorkerRetiredException(String message) {
    super(message);
  }
}
