package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.Report;
import java.util.List;

/** Table rows shared by the CDP reports. */
final class CdpRows {
  static final List<String> HEADER_VS_RAW = List.of("case", "n", "p50 us", "p99 us", "req/s",
      "p50 ÷ anchor", "p99 ÷ anchor");

  private CdpRows() {}

  static List<String> row(String name, RoundTripSuite.Part part, boolean showRate,
      LatencyRecorder anchor) {
    LatencyRecorder l = part.latencies();
    return List.of(name, Integer.toString(l.count()), LatencyRecorder.micros(l.percentile(50)),
        LatencyRecorder.micros(l.percentile(99)),
        showRate ? String.format("%.0f", part.perSecond()) : String.format("(%.0f)",
            part.perSecond()),
        Report.ratio((double) l.percentile(50) / anchor.percentile(50)),
        Report.ratio((double) l.percentile(99) / anchor.percentile(99)));
  }
}
