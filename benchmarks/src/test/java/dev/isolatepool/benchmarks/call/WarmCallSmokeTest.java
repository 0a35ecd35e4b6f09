package dev.isolatepool.benchmarks.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the warm-call JMH benchmark in-process (no fork), one short iteration per
 * implementation, so the benchmark, its anchors and the report/chart tooling don't rot.
 * Asserts that every implementation produced a result; never asserts a timing.
 */
class WarmCallSmokeTest {

  @Test
  void everyImplementationRunsAndTheReportAndChartAreWritten(@TempDir Path out) throws Exception {
    System.setProperty("bench.out", out.toString());
    WarmCallRunner.Settings settings = new WarmCallRunner.Settings(List.of(1),
        WarmCallRunner.IMPLS, 0, 0, 1, 200);

    List<WarmCallRunner.Row> rows = WarmCallRunner.measure(settings);
    WarmCallRunner.report(settings, rows);

    assertEquals(WarmCallRunner.IMPLS.size(), rows.size());
    for (WarmCallRunner.Row row : rows) {
      assertTrue(row.opsPerSecond() > 0, "no throughput result for " + row);
      assertTrue(row.p50Micros() > 0, "no latency result for " + row);
    }
    assertTrue(Files.size(out.resolve("warm-call-throughput.png")) > 1000, "chart missing");
    try (var files = Files.list(out)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("warm-call-")
          && f.toString().endsWith(".md")), "report missing");
    }
  }

  @Test
  void everyTargetComputesHandleOfOne() throws Exception {
    for (String impl : WarmCallRunner.IMPLS) {
      try (CallTarget target = CallTarget.create(impl, 1);
          CallTarget.Caller caller = target.newCaller()) {
        for (int i = 0; i < 100; i++) {
          assertEquals(2, caller.call(), impl);
        }
      }
    }
  }
}
