package dev.isolatepool.benchmarks.cdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the CDP drivers briefly over real sessions: in-process through the pool, eviction with
 * sessions attached, and the WebSocket client against Node's inspector and our gateway.
 * Every request must be answered with the right value (CdpLoad checks it); no timings asserted.
 */
class CdpDriversSmokeTest {
  private static final RoundTripSuite.Settings TINY =
      new RoundTripSuite.Settings(20, 50, 200, 8, 8, 5);

  @Test
  void inProcessRoundTripsAreAllAnswered(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    InProcessCdpDriver.Result r = InProcessCdpDriver.measure(TINY, 4);
    InProcessCdpDriver.report(TINY, r.pool(), r.raw());
    assertEquals(50, r.pool().sequential().latencies().count());
    assertEquals(200, r.pool().pipelined().latencies().count());
    assertNotNull(r.pool().multi());
    assertEquals(8 * 5, r.pool().multi().latencies().count());
    assertEquals(50, r.raw().count());
  }

  @Test
  void evictionDetachesEverySession(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    List<EvictionCostDriver.Row> rows = EvictionCostDriver.measure(List.of(0, 1, 3), 2, 1);
    EvictionCostDriver.report(2, rows);
    for (EvictionCostDriver.Row row : rows) {
      assertEquals(2, row.evictFuture().count());
      assertEquals(row.expectedNotices(), row.detachedNotices(),
          "every attached session gets Inspector.detached (N=" + row.sessions() + ")");
    }
  }

  @Test
  void sameClientDrivesNodeAndTheGateway(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    assumeTrue(nodeAvailable(), "node is not on the PATH; the Node anchor can't run");
    List<GatewayCdpDriver.Series> results =
        GatewayCdpDriver.measure(TINY, 4, 1, 2, true, true, false, List.of());
    GatewayCdpDriver.report(TINY, results);
    assertEquals(3, results.size(), "Node, Node per isolate, our gateway in its own JVM");
    GatewayCdpDriver.Series perIsolate = results.get(1);
    assertTrue(perIsolate.manyOnly(), perIsolate.endpoint());
    for (RoundTripSuite.Result r : perIsolate.rounds()) {
      assertEquals(8 * 5, r.multi().latencies().count(), r.endpoint());
      assertEquals(4, r.multiTargets(), "one Node process per isolate");
    }
    for (GatewayCdpDriver.Series series : List.of(results.get(0), results.get(2))) {
      assertEquals(2, series.rounds().size(), series.endpoint());
      for (RoundTripSuite.Result r : series.rounds()) {
        assertEquals(50, r.sequential().latencies().count(), r.endpoint());
        assertEquals(200, r.pipelined().latencies().count(), r.endpoint());
        assertEquals(8 * 5, r.multi().latencies().count(), r.endpoint());
        // The kernel counts CPU time in 10 ms ticks: a tiny run may read 0, never NaN.
        assertTrue(r.pipelined().serverCpuMicros() >= 0,
            r.endpoint() + ": the server's CPU per request is measured");
      }
    }
  }

  @Test
  void withTheDebuggerEnabledEveryRequestIsStillAnswered(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    assumeTrue(nodeAvailable(), "node is not on the PATH; the Node anchor can't run");
    RoundTripSuite.Settings debugging = new RoundTripSuite.Settings(20, 50, 200, 8, 8, 5, true);
    List<GatewayCdpDriver.Series> results =
        GatewayCdpDriver.measure(debugging, 4, 1, 1, false, true, false, List.of());
    GatewayCdpDriver.report(debugging, results);
    for (GatewayCdpDriver.Series series : results) {
      RoundTripSuite.Result r = series.rounds().get(0);
      assertEquals(50, r.sequential().latencies().count(), r.endpoint());
      assertEquals(200, r.pipelined().latencies().count(), r.endpoint());
      assertEquals(8 * 5, r.multi().latencies().count(), r.endpoint());
    }
  }

  private static boolean nodeAvailable() {
    try {
      return new ProcessBuilder(System.getProperty("node", "node"), "--version").start()
          .waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
