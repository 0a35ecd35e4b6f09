package dev.isolatepool.metrics;

import dev.isolatepool.pool.Limit;
import dev.isolatepool.pool.WorkerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Micrometer binding of {@link PoolMetrics}. Meter names are {@code isolatepool.<thing>.<measure>},
 * tagged {@code pool=<name>}. Micrometer is an optional dependency: only this class needs it.
 */
public final class MicrometerPoolMetrics implements PoolMetrics {
  private final MeterRegistry registry;
  private final String pool;
  private final Counter leasesHandOff;
  private final Counter leasesCreated;
  private final Timer queueWait;
  private final Timer runTime;
  private final Map<Limit, Counter> limits = new EnumMap<>(Limit.class);

  public MicrometerPoolMetrics(MeterRegistry registry, String poolName) {
    this.registry = registry;
    this.pool = poolName;
    leasesHandOff = Counter.builder("isolatepool.leases.acquired").tag("pool", pool)
        .tag("path", "handoff").register(registry);
    leasesCreated = Counter.builder("isolatepool.leases.acquired").tag("pool", pool)
        .tag("path", "wait").register(registry);
    queueWait = Timer.builder("isolatepool.tasks.queue.wait").tag("pool", pool).register(registry);
    runTime = Timer.builder("isolatepool.tasks.run").tag("pool", pool).register(registry);
    for (Limit limit : Limit.values()) {
      limits.put(limit, Counter.builder("isolatepool.limits.violations").tag("pool", pool)
          .tag("limit", limit.setting()).register(registry));
    }
  }

  @Override
  public void bind(ToIntFunction<WorkerState> workersInState) {
    for (WorkerState state : WorkerState.values()) {
      Gauge.builder("isolatepool.workers.count", () -> workersInState.applyAsInt(state))
          .tag("pool", pool).tag("state", state.name().toLowerCase()).register(registry);
    }
  }

  @Override
  public void leaseAcquired(boolean handOff) {
    (handOff ? leasesHandOff : leasesCreated).increment();
  }

  @Override
  public void evicted(String cause) {
    registry.counter("isolatepool.evictions.count", "pool", pool, "cause", cause).increment();
  }

  @Override
  public void queueWait(long nanos) {
    queueWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void runTime(long nanos) {
    runTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void limitExceeded(Limit limit) {
    limits.get(limit).increment();
  }

  @Override
  public void isolateRecreated(String why) {
    registry.counter("isolatepool.isolates.recreated", "pool", pool, "why", why).increment();
  }
}
