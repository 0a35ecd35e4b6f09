package dev.isolatepool.benchmarks.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolatepool.benchmarks.churn.ChurnDriver;
import dev.isolatepool.benchmarks.density.DensityDriver;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the cold-lease, churn and density drivers for a second or two each against a real pool
 * and real V8 runtimes. Asserts counts and correctness (every call answered, nothing failed),
 * never timings.
 */
class DriversSmokeTest {

  @Test
  void coldLeaseMeasuresEverySample(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    ColdLeaseDriver.Result r = ColdLeaseDriver.measure(5, 1);
    ColdLeaseDriver.report(5, 1, r);
    assertEquals(5, r.poolFirstCall().count());
    assertEquals(5, r.poolWarmCall().count());
    assertEquals(5, r.poolHandOff().count(), "every new tenant should pass IDLE->LEASED");
    assertEquals(5, r.createRuntime().count());
  }

  @Test
  void churnEvictsAndAnswersEveryCall(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    long seed = 7;
    System.out.println("churn smoke seed=" + seed);
    // Two clients over 4 workers: before e0b6f98 this left a waiter unserved until its acquire
    // timeout whenever every lease was pinned as it arrived (PoolExhaustedException here).
    ChurnDriver.Settings s = new ChurnDriver.Settings(40, 4, 2, 1, 1.0, seed);
    ChurnDriver.Result r = ChurnDriver.measure(s);
    ChurnDriver.report(s, r);
    assertTrue(r.quiet().errors().isEmpty(), "quiet errors: " + r.quiet().errors());
    assertTrue(r.churn().errors().isEmpty(), "churn errors: " + r.churn().errors());
    assertTrue(r.quiet().calls() > 0 && r.churn().calls() > 0);
    assertEquals(0, r.quiet().evictions(), "4 tenants on 4 workers must not evict");
    assertTrue(r.churn().evictions() > 0, "40 tenants on 4 workers must evict");
  }

  @Test
  void densityGrowsBothSeriesInChildJvms(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    List<DensityDriver.Series> series = List.of(
        DensityDriver.runChild("pool", 6, 3, "256m"), DensityDriver.runChild("raw", 6, 3, "256m"));
    DensityDriver.report(6, 3, "256m", series);
    for (DensityDriver.Series s : series) {
      assertEquals("reached max", s.stop(), s.mode());
      assertEquals(List.of(0, 3, 6), s.points().stream().map(DensityDriver.Point::count).toList(),
          s.mode());
      assertFalse(s.points().stream().anyMatch(p -> p.rssBytes() <= 0), s.mode());
    }
  }
}
