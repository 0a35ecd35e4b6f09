package dev.isolatepool.benchmarks.cdp;

import dev.isolatepool.benchmarks.support.Flags;
import dev.isolatepool.benchmarks.support.LatencyRecorder;
import dev.isolatepool.benchmarks.support.LineChart;
import dev.isolatepool.benchmarks.support.Machine;
import dev.isolatepool.benchmarks.support.Report;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Gateway CDP round trip against Node 20's own inspector, measured in the same run by the same
 * client (java.net.http WebSocket, {@link RoundTripSuite}): sequential p50/p99, pipelined
 * throughput with 64 in flight, and many sessions at once. Endpoints, in order:
 * <ol>
 *   <li>Node: {@code node --inspect=127.0.0.1:0} ({@code -Dnode.processes}, 1; the many-session
 *       part spreads its sessions over those processes);</li>
 *   <li>our gateway over an IsolatePool with {@code -Disolates} (50) tenants, first in its own
 *       JVM like Node ({@link GatewayProcess}), then in the client's JVM
 *       ({@link GatewayEndpoint}); skipped with {@code -Dgateway=false};</li>
 *   <li>any extra endpoint given as {@code -Dws=ws://...,ws://...} (e.g. a gateway in another
 *       process).</li>
 * </ol>
 * Ratios are ours ÷ Node; the own-JVM run is the like-for-like one. Also draws the latency distribution of the sequential part.
 */
public final class GatewayCdpDriver {
  private GatewayCdpDriver() {}

  public static void main(String[] args) throws Exception {
    RoundTripSuite.Settings s = RoundTripSuite.Settings.fromFlags();
    String ws = Flags.stringValue("ws", "");
    List<URI> urls = ws.isBlank() ? List.of() : Arrays.stream(ws.split(",")).map(String::trim)
        .map(URI::create).collect(Collectors.toList());
    List<RoundTripSuite.Result> results = measure(s, Flags.intValue("isolates", 50, 50),
        Flags.intValue("node.processes", 1, 1),
        Boolean.parseBoolean(Flags.stringValue("gateway", "true")), urls);
    report(s, results);
  }

  /** Node first, then our gateway (if {@code gateway}), then the extra URLs (if any). */
  static List<RoundTripSuite.Result> measure(RoundTripSuite.Settings s, int isolates,
      int nodeProcesses, boolean gateway, List<URI> urls) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    List<RoundTripSuite.Result> results = new ArrayList<>();
    try (NodeEndpoint node = new NodeEndpoint(nodeProcesses, client)) {
      results.add(RoundTripSuite.run(node, s, true));
    }
    if (gateway) {
      int perIsolate = (s.sessions() + isolates - 1) / isolates;
      try (CdpEndpoint ours = GatewayProcess.start(isolates, perIsolate, client)) {
        results.add(RoundTripSuite.run(ours, s, true));
      }
      try (CdpEndpoint ours = GatewayEndpoint.start(isolates, perIsolate, client)) {
        results.add(RoundTripSuite.run(ours, s, true));
      }
    }
    if (!urls.isEmpty()) {
      try (UrlEndpoint external = new UrlEndpoint("ws endpoint " + urls.get(0), urls, client)) {
        results.add(RoundTripSuite.run(external, s, true));
      }
    }
    return results;
  }

  static void report(RoundTripSuite.Settings s, List<RoundTripSuite.Result> results) {
    Report report = new Report("cdp-gateway", "CDP over WebSocket: our gateway vs Node's inspector");
    report.line(String.format("Same client for every endpoint (java.net.http WebSocket, one"
            + " connection per session). Runtime.evaluate(\"1+1\"): %d warm-up, %d sequential,"
            + " %d pipelined with %d in flight on one session; then %d sessions with one request in"
            + " flight each, %d requests per session.", s.warmup(), s.sequential(), s.pipelined(),
        s.inFlight(), s.sessions(), s.perSession()));
    RoundTripSuite.Result node = results.get(0);
    List<List<String>> rows = new ArrayList<>();
    for (RoundTripSuite.Result r : results) {
      rows.add(List.of(r.endpoint(), "sequential", LatencyRecorder.micros(
              r.sequential().latencies().percentile(50)),
          LatencyRecorder.micros(r.sequential().latencies().percentile(99)),
          String.format("%.0f", r.sequential().perSecond()),
          ratio(r.sequential().latencies().percentile(50),
              node.sequential().latencies().percentile(50)),
          ratio(r.sequential().perSecond(), node.sequential().perSecond())));
      rows.add(List.of(r.endpoint(), "pipelined x" + s.inFlight(), LatencyRecorder.micros(
              r.pipelined().latencies().percentile(50)),
          LatencyRecorder.micros(r.pipelined().latencies().percentile(99)),
          String.format("%.0f", r.pipelined().perSecond()),
          ratio(r.pipelined().latencies().percentile(50),
              node.pipelined().latencies().percentile(50)),
          ratio(r.pipelined().perSecond(), node.pipelined().perSecond())));
      if (r.multi() != null) {
        rows.add(List.of(r.endpoint(), r.multiSessions() + " sessions / " + r.multiTargets()
                + " targets", LatencyRecorder.micros(r.multi().latencies().percentile(50)),
            LatencyRecorder.micros(r.multi().latencies().percentile(99)),
            String.format("%.0f", r.multi().perSecond()),
            node.multi() == null ? "n/a" : ratio(r.multi().latencies().percentile(50),
                node.multi().latencies().percentile(50)),
            node.multi() == null ? "n/a" : ratio(r.multi().perSecond(), node.multi().perSecond())));
      }
    }
    report.table(List.of("endpoint", "part", "p50 us", "p99 us", "req/s", "p50 ÷ Node",
        "req/s ÷ Node"), rows);
    for (RoundTripSuite.Result ours : results.subList(1, results.size())) {
      report.line("Targets (issue 4), " + ours.endpoint() + ": sequential p50 <= Node's: "
          + verdict(ours.sequential().latencies().percentile(50)
              <= node.sequential().latencies().percentile(50))
          + "; pipelined throughput >= Node's: "
          + verdict(ours.pipelined().perSecond() >= node.pipelined().perSecond()) + ".");
    }
    if (results.size() == 1) {
      report.line("Our gateway: NOT MEASURED in this run.");
    }
    Path png = chart(results);
    report.line("Chart: " + png);
    report.finish();
  }

  static Path chart(List<RoundTripSuite.Result> results) {
    LineChart chart = new LineChart("Sequential CDP round trip: latency distribution",
        "percentile", "round trip (us, log scale)").logY().footnote(
        "Runtime.evaluate(\"1+1\"), same client; " + Machine.brief());
    double[] percentiles = {1, 10, 25, 50, 75, 90, 95, 99, 99.9};
    for (RoundTripSuite.Result r : results) {
      for (double p : percentiles) {
        chart.point(r.endpoint(), p, Math.max(0.1,
            r.sequential().latencies().percentile(p) / 1000.0));
      }
    }
    return chart.writePng(dev.isolatepool.benchmarks.support.Report.outputDir()
        .resolve("cdp-latency.png"));
  }

  private static String ratio(double ours, double node) {
    return Report.ratio(ours / node);
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT met";
  }
}
