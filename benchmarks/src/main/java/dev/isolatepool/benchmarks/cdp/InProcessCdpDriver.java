package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.Report;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process CDP round trip through the pool-core session API ({@code pool.openSession(tenant,
 * sink)}, {@code Runtime.evaluate("1+1")}, wait for the response with that id): sequential
 * p50/p99, pipelined ({@code -DinFlight}, 64) throughput, and {@code -Dsessions} (200) sessions
 * over {@code -Disolates} (50) isolates. Anchor in the same run: Javet's V8Inspector driven
 * directly on its owner thread ({@link RawInspectorAnchor}).
 *
 * <p>Knobs: see {@link RoundTripSuite.Settings}; {@code -Dlong=true} for the full sizes.
 */
public final class InProcessCdpDriver {
  private InProcessCdpDriver() {}

  /** The pool's numbers and the anchor's. */
  record Result(RoundTripSuite.Result pool, LatencyRecorder raw) {}

  public static void main(String[] args) throws Exception {
    RoundTripSuite.Settings s = RoundTripSuite.Settings.fromFlags();
    Result result = measure(s, Flags.intValue("isolates", 50, 50));
    report(s, result.pool(), result.raw());
  }

  /** The pool first (its V8 flags apply), then the anchor in the same JVM. */
  static Result measure(RoundTripSuite.Settings s, int isolates) throws Exception {
    RoundTripSuite.Result ours;
    try (PoolEndpoint endpoint = new PoolEndpoint(isolates,
        (s.sessions() + isolates - 1) / isolates)) {
      ours = RoundTripSuite.run(endpoint, s, true);
    }
    LatencyRecorder raw = RawInspectorAnchor.sequential(s.warmup(), s.sequential());
    System.out.println("  raw V8Inspector sequential " + raw.summaryMicros());
    return new Result(ours, raw);
  }

  static void report(RoundTripSuite.Settings s, RoundTripSuite.Result ours, LatencyRecorder raw) {
    Report report = new Report("cdp-inproc", "In-process CDP round trip (pool session API)");
    report.line(String.format("Runtime.evaluate(\"1+1\"): %d warm-up, %d sequential, %d pipelined"
            + " with %d in flight; then %d sessions over %d isolates, %d sequential requests each.",
        s.warmup(), s.sequential(), s.pipelined(), s.inFlight(), ours.multiSessions(),
        ours.multiTargets(), s.perSession()));
    report.line("Anchor: Javet V8Inspector.sendRequest on the runtime's owner thread (synchronous"
        + " dispatch, no pool), same JVM, after the pool closed.");
    List<List<String>> rows = new ArrayList<>();
    rows.add(CdpRows.row("pool: sequential", ours.sequential(), false, raw));
    rows.add(CdpRows.row("pool: pipelined x" + s.inFlight(), ours.pipelined(), true, raw));
    if (ours.multi() != null) {
      rows.add(CdpRows.row("pool: " + ours.multiSessions() + " sessions / " + ours.multiTargets()
          + " isolates", ours.multi(), true, raw));
    }
    rows.add(CdpRows.row("anchor: raw V8Inspector, owner thread", new RoundTripSuite.Part(raw,
        raw.count() / (raw.meanNanos() * raw.count() / 1e9), Double.NaN), false, raw));
    report.table(CdpRows.HEADER_VS_RAW, rows);
    report.finish();
  }
}
