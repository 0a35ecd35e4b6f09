package dev.isolatepool.pool;

/** Base of every exception the pool reports to callers. */
public class PoolException extends RuntimeException {
  public PoolException(String message) {
    super(message);
  }

  public PoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
