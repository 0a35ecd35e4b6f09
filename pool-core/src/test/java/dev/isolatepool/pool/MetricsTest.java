package dev.isolatepool.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.metrics.MicrometerPoolMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void micrometerBindingRecordsLeasesEvictionsLimitsAndTimings() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (IsolatePool pool = IsolatePool.builder().name("m").maxWorkers(2).minIdle(1)
        .maxLeasesPerIsolate(1).callTimeBudget(Duration.ofMillis(200))
        .metrics(new MicrometerPoolMetrics(registry, "m")).build()) {
      pool.deploy("t", "file:///t.js", "function spin(){ while(true){} }").get();
      pool.evaluate("t", "1").get();
      try {
        pool.call("t", "spin", "[]").get(10, TimeUnit.SECONDS);
      } catch (Exception expected) {
        // the time budget
      }
      pool.evict("t").get(10, TimeUnit.SECONDS);
      double leases = registry.find("isolatepool.leases.acquired").counters().stream()
          .mapToDouble(c -> c.count()).sum();
      assertTrue(leases >= 1, "leases " + leases);
      assertEquals(1.0, registry.get("isolatepool.limits.violations").tag("pool", "m")
          .tag("limit", "callTimeBudget").counter().count());
      assertTrue(registry.get("isolatepool.tasks.run").timer().count() >= 3);
      assertTrue(registry.get("isolatepool.tasks.queue.wait").timer().count() >= 3);
      assertTrue(registry.get("isolatepool.isolates.recreated").tag("why", "lease_count")
          .counter().count() >= 1, "maxLeasesPerIsolate=1 recreates at the first recycle");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (registry.find("isolatepool.evictions.count").counter() == null
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1.0, registry.get("isolatepool.evictions.count").tag("cause", "explicit")
          .counter().count());
      assertEquals(pool.stats().idle(), (int) registry.get("isolatepool.workers.count")
          .tag("state", "idle").gauge().value());
    }
  }
}
