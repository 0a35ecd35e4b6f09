package dev.isolatepool.metrics;

import dev.isolatepool.pool.Limit;
import dev.isolatepool.pool.WorkerState;
import java.util.function.ToIntFunction;

/**
 * The pool's metrics SPI. Every method has a no-op default, so {@link #NOOP} costs one virtual
 * call on hot paths. A Micrometer binding is {@link MicrometerPoolMetrics}.
 *
 * <p><b>Thread contract.</b> Methods are called from worker threads, the watchdog and caller
 * threads, concurrently. They must be thread-safe, fast and must not call the pool.
 */
public interface PoolMetrics {

  /** Records nothing. */
  PoolMetrics NOOP = new PoolMetrics() {};

  /** Called once when the pool starts; {@code workersInState} reads live counts. */
  default void bind(ToIntFunction<WorkerState> workersInState) {}

  /** A tenant was bound to a worker; {@code handOff} is true when an idle worker was ready. */
  default void leaseAcquired(boolean handOff) {}

  /** A lease ended; {@code cause} is a lower-case word such as expired, size, explicit. */
  default void evicted(String cause) {}

  /** Time a task spent in the mailbox before the worker took it. */
  default void queueWait(long nanos) {}

  /** Time a task ran on the worker (pauses included). */
  default void runTime(long nanos) {}

  /** A tenant hit a limit. */
  default void limitExceeded(Limit limit) {}

  /** An isolate was recreated instead of reset (lease count, age, heap, or a dead runtime). */
  default void isolateRecreated(String why) {}
}
