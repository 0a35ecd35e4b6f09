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

  /**
   * Closes the pool after checking that no inspector session outlived its client: every
   * session the run opened was closed, so every worker must report zero sessions (waiting up
   * to 5 s for the asynchronous closes to land).
   */
  @Override
  public void close() {
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int leaked;
      while ((leaked = pool.workers().stream().mapToInt(w -> w.sessions()).sum()) > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      if (leaked > 0) {
        throw new IllegalStateException(leaked + " inspector sessions still open on the pool"
            + " after every client closed its session: " + pool.workers());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.close();
    }
  }
}
