package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.pool.IsolatePool;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sessions opened in-process through {@link IsolatePool#openSession}: the pool-core session API
 * with no network in between. Owns its pool: {@code targets} tenants, one worker each.
 */
final class PoolEndpoint implements CdpEndpoint {
  private final IsolatePool pool;
  private final int targets;

  PoolEndpoint(int targets, int sessionsPerTarget) {
    this.targets = targets;
    this.pool = IsolatePool.builder()
        .name("bench-cdp")
        .maxWorkers(targets + 1)
        .minIdle(Math.min(targets, 4))
        .maxSessionsPerWorker(Math.max(2, sessionsPerTarget + 1))
        .acquireTimeout(Duration.ofSeconds(30))
        .build();
    for (int t = 0; t < targets; t++) {
      pool.deploy(tenant(t), "file:///bench/cdp-" + t + ".js", "function handle(x) { return x + 1; }")
          .join();
    }
  }

  static String tenant(int target) {
    return "cdp-" + target;
  }

  IsolatePool pool() {
    return pool;
  }

  @Override
  public String name() {
    return "pool session API (in-process)";
  }

  @Override
  public int targets() {
    return targets;
  }

  @Override
  public CdpConnection open(int index) throws Exception {
    return PoolSessionConnection.open(pool, tenant(index % targets)).get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    pool.close();
  }
}
